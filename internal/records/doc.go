// Package records owns the CRM's core records — companies and contacts for
// now — their validation, their SQL and the events their changes write. The
// browser UI and the JSON API both call these functions; neither writes SQL.
//
// Every function takes the acting crm.Principal (or its workspace) and scopes
// each statement by workspace_id: another workspace's record is simply not
// found.
package records
