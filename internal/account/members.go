package account

import (
	"errors"
	"fmt"
	"time"

	"github.com/tandemcrm/tandem/internal/crm"
	"github.com/tandemcrm/tandem/internal/store"
)

// Member is a user's place in a workspace.
type Member struct {
	UserID        crm.ID
	Email, Name   string
	Role          crm.Role
	JoinedAt      time.Time
	DeactivatedAt time.Time
	TwoFactor     bool
}

// ListMembers returns the workspace's members, active first.
func ListMembers(tx *store.Tx, ws crm.ID) ([]Member, error) {
	rows, err := tx.Query(`SELECT u.id, u.email, u.name, m.role, m.created_at, m.deactivated_at, u.totp_enabled_at
		FROM memberships m JOIN users u ON u.id = m.user_id WHERE m.workspace_id = ?
		ORDER BY m.deactivated_at IS NOT NULL, u.name`, ws)
	if err != nil {
		return nil, fmt.Errorf("account: members: %w", err)
	}
	defer rows.Close()
	var out []Member
	for rows.Next() {
		var m Member
		var role string
		var joined int64
		var deact, totp *int64
		if err := rows.Scan(&m.UserID, &m.Email, &m.Name, &role, &joined, &deact, &totp); err != nil {
			return nil, err
		}
		m.Role, m.JoinedAt, m.DeactivatedAt, m.TwoFactor = crm.Role(role), store.FromMicros(joined), optTime(deact), totp != nil
		out = append(out, m)
	}
	return out, rows.Err()
}

func memberRole(tx *store.Tx, ws, user crm.ID) (crm.Role, error) {
	var role string
	err := tx.QueryRow(`SELECT role FROM memberships WHERE workspace_id = ? AND user_id = ? AND deactivated_at IS NULL`, ws, user).Scan(&role)
	if errors.Is(err, store.ErrNoRows) {
		return "", crm.Errorf(crm.NotFound, "No such member.")
	}
	return crm.Role(role), err
}

func ownerCount(tx *store.Tx, ws crm.ID) (int, error) {
	var n int
	err := tx.QueryRow(`SELECT count(*) FROM memberships WHERE workspace_id = ? AND role = 'owner' AND deactivated_at IS NULL`, ws).Scan(&n)
	return n, err
}

// ChangeRole sets a member's role. Only owners and admins change roles; no
// one raises anyone above their own role; the last owner stays an owner.
func ChangeRole(tx *store.Tx, p crm.Principal, user crm.ID, role crm.Role) error {
	// Look the member up first: another workspace's user is not found,
	// whatever else is wrong with the request.
	old, err := memberRole(tx, p.WorkspaceID, user)
	if err != nil {
		return err
	}
	if p.Role.Rank() < crm.RoleAdmin.Rank() {
		return crm.Errorf(crm.Forbidden, "Only owners and admins can change roles.")
	}
	if !role.Valid() {
		return (crm.FieldErrors{"role": "Choose owner, admin, manager, member or readonly."}).Err()
	}
	if role.Rank() > p.Role.Rank() || old.Rank() > p.Role.Rank() {
		return crm.Errorf(crm.Forbidden, "You cannot change the role of someone above you, or raise anyone above yourself.")
	}
	if old == crm.RoleOwner && role != crm.RoleOwner {
		if n, err := ownerCount(tx, p.WorkspaceID); err != nil {
			return err
		} else if n <= 1 {
			return (crm.FieldErrors{"role": "A workspace needs at least one owner: make someone else owner first."}).Err()
		}
	}
	if _, err := tx.Exec(`UPDATE memberships SET role = ? WHERE workspace_id = ? AND user_id = ?`, string(role), p.WorkspaceID, user); err != nil {
		return err
	}
	// A changed role takes effect at once (sessions re-read it on every
	// request, API keys are capped by it) and the member's sessions in this
	// workspace end: they sign in again with a new session token.
	if _, err := tx.Exec(`DELETE FROM sessions WHERE user_id = ? AND current_workspace = ?`, user, p.WorkspaceID); err != nil {
		return err
	}
	return tx.Emit(crm.Event{WorkspaceID: p.WorkspaceID, Actor: p.Actor(), ObjectType: "membership", ObjectID: user,
		Action: crm.Updated, Changes: map[string]crm.Change{"role": {Before: string(old), After: string(role)}}})
}

// Deactivate removes a member's access to the workspace without losing
// their work: sessions in the workspace end, their API keys there are
// revoked, and the records they own pass to reassignTo, in one transaction.
func Deactivate(tx *store.Tx, p crm.Principal, user, reassignTo crm.ID) (int64, error) {
	old, err := memberRole(tx, p.WorkspaceID, user)
	if err != nil {
		return 0, err
	}
	if p.Role.Rank() < crm.RoleAdmin.Rank() {
		return 0, crm.Errorf(crm.Forbidden, "Only owners and admins can deactivate members.")
	}
	if user == p.UserID {
		return 0, crm.Errorf(crm.Invalid, "You cannot deactivate yourself.")
	}
	if old.Rank() > p.Role.Rank() {
		return 0, crm.Errorf(crm.Forbidden, "You cannot deactivate someone above you.")
	}
	if old == crm.RoleOwner {
		if n, err := ownerCount(tx, p.WorkspaceID); err != nil {
			return 0, err
		} else if n <= 1 {
			return 0, crm.Errorf(crm.Invalid, "The last owner cannot be deactivated.")
		}
	}
	if reassignTo == user {
		return 0, (crm.FieldErrors{"reassign_to": "Choose someone else to take over their records."}).Err()
	}
	if _, err := memberRole(tx, p.WorkspaceID, reassignTo); err != nil {
		return 0, (crm.FieldErrors{"reassign_to": "Choose an active member to take over their records."}).Err()
	}
	now := store.Micros(tx.Now)
	if _, err := tx.Exec(`UPDATE memberships SET deactivated_at = ? WHERE workspace_id = ? AND user_id = ?`, now, p.WorkspaceID, user); err != nil {
		return 0, err
	}
	if _, err := tx.Exec(`DELETE FROM sessions WHERE user_id = ? AND current_workspace = ?`, user, p.WorkspaceID); err != nil {
		return 0, err
	}
	if _, err := tx.Exec(`UPDATE api_keys SET revoked_at = ? WHERE workspace_id = ? AND user_id = ? AND revoked_at IS NULL`,
		now, p.WorkspaceID, user); err != nil {
		return 0, err
	}
	var moved int64
	for _, table := range []string{"contacts", "companies", "deals", "activities"} {
		n, err := tx.Exec(`UPDATE `+table+` SET owner_id = ? WHERE workspace_id = ? AND owner_id = ?`, reassignTo, p.WorkspaceID, user)
		if err != nil {
			return moved, err
		}
		moved += n
	}
	return moved, tx.Emit(crm.Event{WorkspaceID: p.WorkspaceID, Actor: p.Actor(), ObjectType: "membership", ObjectID: user,
		Action: crm.Updated, Changes: map[string]crm.Change{"deactivated": {Before: false, After: true},
			"records_reassigned_to": {After: reassignTo.String()}}})
}

// WorkspaceChoice is one workspace a user can work in.
type WorkspaceChoice struct {
	ID   crm.ID
	Name string
	Role crm.Role
}

// UserWorkspaces lists the workspaces a user is an active member of.
func UserWorkspaces(tx *store.Tx, user crm.ID) ([]WorkspaceChoice, error) {
	// By user, across workspaces, on purpose: this is the user's own list.
	rows, err := tx.Unscoped().Query(`SELECT w.id, w.name, m.role FROM memberships m JOIN workspaces w ON w.id = m.workspace_id
		WHERE m.user_id = ? AND m.deactivated_at IS NULL ORDER BY w.name`, user)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []WorkspaceChoice
	for rows.Next() {
		var c WorkspaceChoice
		var role string
		if err := rows.Scan(&c.ID, &c.Name, &role); err != nil {
			return nil, err
		}
		c.Role = crm.Role(role)
		out = append(out, c)
	}
	return out, rows.Err()
}

// SwitchWorkspace moves a session to another workspace of its user. A
// workspace the user is not an active member of is not found.
func SwitchWorkspace(tx *store.Tx, token string, user, ws crm.ID) error {
	if _, err := memberRole(tx, ws, user); err != nil {
		return crm.Errorf(crm.NotFound, "No such workspace.")
	}
	_, err := tx.Exec(`UPDATE sessions SET current_workspace = ? WHERE token_hash = ? AND user_id = ?`, ws, HashToken(token), user)
	return err
}
