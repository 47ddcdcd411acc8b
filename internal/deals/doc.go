// Package deals owns the sales pipeline: pipelines and their ordered stages
// (win probability, rotting threshold), deals (value in integer minor units,
// status open/won/lost with a lost reason from the list admins keep, other
// contacts with roles, custom fields through records' field definitions),
// the stage history kept on every move, the board's columns and sums, and the
// filter schema that lets the filter language speak about deals.
//
// Like records, it takes the acting crm.Principal, scopes every statement by
// workspace_id, decides visibility through the account rules (a deal one may
// not see is not found) and writes an event in the same transaction as every
// change. It imports nothing HTTP.
package deals
