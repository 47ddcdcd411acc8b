package account

import (
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/tandemcrm/tandem/internal/crm"
	"github.com/tandemcrm/tandem/internal/ids"
	"github.com/tandemcrm/tandem/internal/store"
)

// Invitations bring teammates in: an owner or admin (or a manager, for
// members and read-only users) invites an email with a role; the person
// follows the single-use link, sets their name and password, and joins. An
// existing user who is invited confirms with their own password, which stays
// unchanged.
const inviteTTL = 7 * 24 * time.Hour

// Invitation is a pending or answered invitation.
type Invitation struct {
	ID         crm.ID
	Email      string
	Role       crm.Role
	InvitedBy  crm.ID
	CreatedAt  time.Time
	ExpiresAt  time.Time
	AcceptedAt time.Time
	RevokedAt  time.Time
	Workspace  string // the workspace's name, for the acceptance page
}

// Pending reports whether the invitation can still be accepted at now.
func (i Invitation) Pending(now time.Time) bool {
	return i.AcceptedAt.IsZero() && i.RevokedAt.IsZero() && now.Before(i.ExpiresAt)
}

// canInvite says whether p may invite someone with role.
func canInvite(p crm.Principal, role crm.Role) error {
	switch {
	case !role.Valid():
		return (crm.FieldErrors{"role": "Choose owner, admin, manager, member or readonly."}).Err()
	case p.Role.Rank() < crm.RoleManager.Rank():
		return crm.Errorf(crm.Forbidden, "Only owners, admins and managers can invite people.")
	case p.Role == crm.RoleManager && role.Rank() > crm.RoleMember.Rank():
		return (crm.FieldErrors{"role": "Managers can invite members and read-only users."}).Err()
	case role.Rank() > p.Role.Rank():
		return (crm.FieldErrors{"role": "You cannot invite someone with a higher role than yours."}).Err()
	}
	return nil
}

// Invite creates (or renews) an invitation and returns its link token.
func Invite(tx *store.Tx, p crm.Principal, email string, role crm.Role) (Invitation, string, error) {
	email, ok := NormalizeEmail(email)
	if !ok {
		return Invitation{}, "", (crm.FieldErrors{"email": "Enter a valid email address, like name@example.com."}).Err()
	}
	if err := canInvite(p, role); err != nil {
		return Invitation{}, "", err
	}
	var n int
	if err := tx.QueryRow(`SELECT count(*) FROM memberships m JOIN users u ON u.id = m.user_id
		WHERE m.workspace_id = ? AND u.email = ? AND m.deactivated_at IS NULL`, p.WorkspaceID, email).Scan(&n); err != nil {
		return Invitation{}, "", err
	}
	if n > 0 {
		return Invitation{}, "", (crm.FieldErrors{"email": "This person is already a member."}).Err()
	}
	// A new invitation replaces any pending one for the same address.
	if _, err := tx.Exec(`UPDATE invitations SET revoked_at = ? WHERE workspace_id = ? AND email = ?
		AND accepted_at IS NULL AND revoked_at IS NULL`, store.Micros(tx.Now), p.WorkspaceID, email); err != nil {
		return Invitation{}, "", err
	}
	token := ids.Token(24)
	inv := Invitation{ID: tx.NewID(), Email: email, Role: role, InvitedBy: p.UserID, CreatedAt: tx.Now, ExpiresAt: tx.Now.Add(inviteTTL)}
	_, err := tx.Exec(`INSERT INTO invitations (id, workspace_id, email, role, token_hash, invited_by, created_at, expires_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?)`, inv.ID, p.WorkspaceID, email, string(role), HashToken(token), p.UserID,
		store.Micros(tx.Now), store.Micros(inv.ExpiresAt))
	if err != nil {
		return inv, "", fmt.Errorf("account: invite: %w", err)
	}
	return inv, token, tx.Emit(crm.Event{WorkspaceID: p.WorkspaceID, Actor: p.Actor(), ObjectType: "invitation", ObjectID: inv.ID,
		Action: crm.Created, Changes: map[string]crm.Change{"email": {After: email}, "role": {After: string(role)}}})
}

var errInvite = crm.Errorf(crm.NotFound, "This invitation is not valid any more. Ask for a new one.")

// FindInvitation returns the pending invitation of a link token.
func FindInvitation(tx *store.Tx, token string) (Invitation, crm.ID, error) {
	var inv Invitation
	var ws, created, expires int64
	var role string
	// The token is the only key a visitor has; the workspace comes from it.
	err := tx.Unscoped().QueryRow(`SELECT i.id, i.workspace_id, i.email, i.role, i.invited_by, i.created_at, i.expires_at, w.name
		FROM invitations i JOIN workspaces w ON w.id = i.workspace_id
		WHERE i.token_hash = ? AND i.accepted_at IS NULL AND i.revoked_at IS NULL AND i.expires_at > ?`,
		HashToken(token), store.Micros(tx.Now)).Scan(&inv.ID, &ws, &inv.Email, &role, &inv.InvitedBy, &created, &expires, &inv.Workspace)
	if errors.Is(err, store.ErrNoRows) {
		return inv, 0, errInvite
	}
	inv.Role, inv.CreatedAt, inv.ExpiresAt = crm.Role(role), store.FromMicros(created), store.FromMicros(expires)
	return inv, crm.ID(ws), err
}

// AcceptInvite spends an invitation: it creates the user (name and password
// required) or, for an existing user, adds the membership, and returns who
// joined where.
//
// Whoever holds the link is not yet proven to be the person it names: the
// inviter sees the link too. So an address that already has an account must
// give that account's own password (never changed here), and the caller
// must still ask for the second factor (NeedsSecondFactor) before opening a
// session. An active member who follows a stale invitation keeps the role
// they have: an old link must not demote or promote anyone.
func AcceptInvite(tx *store.Tx, token, name, password string) (crm.User, crm.ID, error) {
	inv, ws, err := FindInvitation(tx, token)
	if err != nil {
		return crm.User{}, 0, err
	}
	var u crm.User
	var hash string
	err = tx.QueryRow(`SELECT id, email, name, password_hash FROM users WHERE email = ?`, inv.Email).Scan(&u.ID, &u.Email, &u.Name, &hash)
	switch {
	case errors.Is(err, store.ErrNoRows):
		if u, err = CreateUser(tx, NewUser{Email: inv.Email, Name: name, Password: password}); err != nil {
			return u, 0, err
		}
	case err != nil:
		return u, 0, err
	case !CheckPassword(hash, password):
		return u, 0, (crm.FieldErrors{"password": "That is not the password of your Tandem account."}).Err()
	}
	var active int
	if err := tx.QueryRow(`SELECT count(*) FROM memberships WHERE workspace_id = ? AND user_id = ? AND deactivated_at IS NULL`,
		ws, u.ID).Scan(&active); err != nil {
		return u, 0, err
	}
	if active == 0 {
		// Someone deactivated earlier comes back through a new invitation.
		if _, err := tx.Exec(`DELETE FROM memberships WHERE workspace_id = ? AND user_id = ?`, ws, u.ID); err != nil {
			return u, 0, err
		}
		if err := AddMember(tx, ws, u.ID, inv.Role, crm.UserActor(u.ID)); err != nil {
			return u, 0, err
		}
	}
	if _, err := tx.Exec(`UPDATE invitations SET accepted_at = ? WHERE workspace_id = ? AND id = ?`, store.Micros(tx.Now), ws, inv.ID); err != nil {
		return u, 0, err
	}
	return u, ws, nil
}

// ExistingUser reports whether an invitation's email already has an account
// (then accepting asks for that account's password instead of a new one).
func ExistingUser(tx *store.Tx, email string) (bool, error) {
	var n int
	err := tx.QueryRow(`SELECT count(*) FROM users WHERE email = ?`, strings.ToLower(email)).Scan(&n)
	return n > 0, err
}

// ListInvitations returns the workspace's invitations, newest first.
func ListInvitations(tx *store.Tx, ws crm.ID) ([]Invitation, error) {
	rows, err := tx.Query(`SELECT id, email, role, invited_by, created_at, expires_at, accepted_at, revoked_at
		FROM invitations WHERE workspace_id = ? ORDER BY id DESC LIMIT 200`, ws)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Invitation
	for rows.Next() {
		var i Invitation
		var role string
		var created, expires int64
		var accepted, revoked *int64
		if err := rows.Scan(&i.ID, &i.Email, &role, &i.InvitedBy, &created, &expires, &accepted, &revoked); err != nil {
			return nil, err
		}
		i.Role, i.CreatedAt, i.ExpiresAt = crm.Role(role), store.FromMicros(created), store.FromMicros(expires)
		i.AcceptedAt, i.RevokedAt = optTime(accepted), optTime(revoked)
		out = append(out, i)
	}
	return out, rows.Err()
}

// RevokeInvitation withdraws a pending invitation.
func RevokeInvitation(tx *store.Tx, p crm.Principal, id crm.ID) error {
	if p.Role.Rank() < crm.RoleManager.Rank() {
		return crm.Errorf(crm.Forbidden, "Only owners, admins and managers can withdraw invitations.")
	}
	n, err := tx.Exec(`UPDATE invitations SET revoked_at = ? WHERE workspace_id = ? AND id = ? AND accepted_at IS NULL AND revoked_at IS NULL`,
		store.Micros(tx.Now), p.WorkspaceID, id)
	if err != nil {
		return err
	}
	if n == 0 {
		return crm.Errorf(crm.NotFound, "No such pending invitation.")
	}
	return tx.Emit(crm.Event{WorkspaceID: p.WorkspaceID, Actor: p.Actor(), ObjectType: "invitation", ObjectID: id, Action: crm.Deleted})
}
