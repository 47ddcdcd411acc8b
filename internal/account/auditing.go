package account

import (
	"errors"

	"github.com/tandemcrm/tandem/internal/audit"
	"github.com/tandemcrm/tandem/internal/crm"
	"github.com/tandemcrm/tandem/internal/store"
)

// Client is where a security-relevant request came from, for the audit log
// (the IP is truncated before it is stored).
type Client struct {
	IP        string
	UserAgent string
	// Hash, when set, turns an identifier into a keyed hash (the instance
	// key's): failed sign-ins for unknown addresses keep only that.
	Hash func(identifier string) string
}

// NoteSignIn records a successful sign-in in the same transaction as the
// new session.
func NoteSignIn(tx *store.Tx, user, ws crm.ID, c Client) error {
	_, err := audit.Record(tx, audit.Entry{WorkspaceID: ws, Actor: crm.UserActor(user), Action: audit.SignInSucceeded,
		ObjectType: "user", ObjectID: user, IP: c.IP, UserAgent: c.UserAgent})
	return err
}

// NoteSignInFailure records a failed sign-in. It runs in a transaction of
// its own, because the failed attempt's transaction rolled back. For a known
// email the entry goes to each of the user's workspaces' logs' owner-visible
// chain (the first workspace); for an unknown one, to the instance log.
func NoteSignInFailure(tx *store.Tx, email string, c Client) error {
	email, _ = NormalizeEmail(email)
	var user, ws crm.ID
	err := tx.QueryRow(`SELECT id FROM users WHERE email = ?`, email).Scan(&user)
	if err != nil && !errors.Is(err, store.ErrNoRows) {
		return err
	}
	if user != 0 {
		// By user, across workspaces, on purpose: the attempt names no workspace.
		err = tx.Unscoped().QueryRow(`SELECT workspace_id FROM memberships WHERE user_id = ? ORDER BY created_at LIMIT 1`, user).Scan(&ws)
		if err != nil && !errors.Is(err, store.ErrNoRows) {
			return err
		}
	}
	// A known account is named by its id; a typed address that matches no
	// account is someone's personal data we have no reason to keep, so only
	// its keyed hash is stored (enough to see repeated attempts).
	details := map[string]any{}
	if user == 0 && c.Hash != nil {
		details["email_hash"] = c.Hash(email)
	}
	_, err = audit.Record(tx, audit.Entry{WorkspaceID: ws, Actor: crm.Actor{Type: "anonymous"}, Action: audit.SignInFailed,
		ObjectType: "user", ObjectID: user, IP: c.IP, UserAgent: c.UserAgent, Details: details})
	return err
}

// NoteSignOut records that a session ended at its user's request.
func NoteSignOut(tx *store.Tx, p crm.Principal, c Client) error {
	_, err := audit.Record(tx, audit.Entry{WorkspaceID: p.WorkspaceID, Actor: p.Actor(), Action: audit.SignedOut,
		ObjectType: "user", ObjectID: p.UserID, IP: c.IP, UserAgent: c.UserAgent})
	return err
}

// NoteSessionRevoked records that a user signed out another device.
func NoteSessionRevoked(tx *store.Tx, p crm.Principal, c Client) error {
	_, err := audit.Record(tx, audit.Entry{WorkspaceID: p.WorkspaceID, Actor: p.Actor(), Action: audit.SessionRevoked,
		ObjectType: "user", ObjectID: p.UserID, IP: c.IP, UserAgent: c.UserAgent})
	return err
}
