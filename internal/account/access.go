package account

import (
	"fmt"

	"github.com/tandemcrm/tandem/internal/crm"
	"github.com/tandemcrm/tandem/internal/store"
)

// Access to one record, decided from its owner. VisibilityClause (teams.go)
// is the rule for lists; CanView and Can apply the same rule to a single
// record, so a list, a record page, an API call and an export cannot
// disagree about who sees what.
//
// The policy, in one place:
//
//   - Seeing: owners and admins see every record; a manager sees their own
//     records and those of the members of the teams they manage; members and
//     read-only users see per the workspace's member_visibility (own, team or
//     all; all by default). Under "all", managers see everything too.
//   - A record one cannot see is "not found", never "forbidden": its
//     existence is not revealed (the same answer as another workspace's).
//   - Changing (update, delete): anyone who sees the record, except read-only
//     users.
//   - Creating: everyone but read-only users, and only for an owner whose
//     records they could then see — no one hands a record to someone outside
//     their view (it would vanish from their own lists).
//   - Exporting: managers and above, and only what they see. Bulk copies
//     leaving the system are the easiest way to walk off with a customer
//     list, so members do not export by default.
//   - Workspace settings (fields, members, teams, visibility): owners and
//     admins.

// Action is something a principal does to a record or the workspace.
type Action string

// The actions Can decides.
const (
	ActView   Action = "view"
	ActCreate Action = "create"
	ActUpdate Action = "update"
	ActDelete Action = "delete"
	ActExport Action = "export"
	ActAdmin  Action = "admin" // workspace settings; the owner is ignored
)

// CanView reports whether p sees a record owned by owner.
func CanView(tx *store.Tx, p crm.Principal, owner crm.ID) (bool, error) {
	clause, args, err := VisibilityClause(tx, p, "x.owner_id")
	if err != nil || clause == "" {
		return err == nil, err
	}
	var n int
	// One row standing for the record, so the list rule applies unchanged.
	err = tx.QueryRow(`SELECT count(*) FROM (SELECT CAST(? AS BIGINT) AS owner_id) x WHERE `+clause,
		append([]any{owner}, args...)...).Scan(&n)
	if err != nil {
		return false, fmt.Errorf("account: can view: %w", err)
	}
	return n > 0, nil
}

// Can says whether p may do action to a record owned by owner (for
// ActCreate: the owner the new record would have). It returns nil, a
// NotFound error for a record p cannot see, or a Forbidden error.
func Can(tx *store.Tx, p crm.Principal, action Action, owner crm.ID) error {
	if p.WorkspaceID == 0 || !p.Role.Valid() {
		return crm.Errorf(crm.Unauthorized, "Please sign in.")
	}
	switch action {
	case ActAdmin:
		return atLeast(p, crm.RoleAdmin, "Only owners and admins change workspace settings.")
	case ActCreate:
		if err := writer(p); err != nil {
			return err
		}
		if ok, err := CanView(tx, p, owner); err != nil || !ok {
			return orErr(err, crm.Errorf(crm.Forbidden, "You can only give records to yourself or to people whose records you see."))
		}
		return nil
	case ActView, ActUpdate, ActDelete, ActExport:
		// Visibility first: an unseen record is not found, whatever the role.
		if ok, err := CanView(tx, p, owner); err != nil || !ok {
			return orErr(err, crm.Errorf(crm.NotFound, "No such record."))
		}
	default:
		return fmt.Errorf("account: unknown action %q", action)
	}
	switch action {
	case ActUpdate, ActDelete:
		return writer(p)
	case ActExport:
		return atLeast(p, crm.RoleManager, "Only managers, admins and owners can export.")
	}
	return nil
}

func writer(p crm.Principal) error {
	if p.Role == crm.RoleReadOnly {
		return crm.Errorf(crm.Forbidden, "Your role is read-only; ask an admin for write access.")
	}
	return nil
}

func atLeast(p crm.Principal, r crm.Role, msg string) error {
	if p.Role.Rank() < r.Rank() {
		return crm.Errorf(crm.Forbidden, "%s", msg)
	}
	return nil
}

func orErr(err, otherwise error) error {
	if err != nil {
		return err
	}
	return otherwise
}
