package account

import (
	"errors"
	"fmt"
	"time"

	"github.com/tandemcrm/tandem/internal/crm"
	"github.com/tandemcrm/tandem/internal/ids"
	"github.com/tandemcrm/tandem/internal/store"
)

// Sessions are server-side: the browser holds a random token in an HttpOnly
// cookie, the database holds only its hash, so a session can be listed and
// revoked, and a copy of the database signs nobody in.
const (
	SessionCookie   = "tandem_session"
	IdleTimeout     = 7 * 24 * time.Hour  // unused for this long: signed out
	AbsoluteTimeout = 30 * 24 * time.Hour // however active: sign in again after this
	touchSessionGap = time.Minute         // write last_seen_at at most this often
)

// Session is one signed-in device.
type Session struct {
	UserID     crm.ID
	Workspace  crm.ID
	CreatedAt  time.Time
	LastSeenAt time.Time
	ExpiresAt  time.Time
	IP         string
	UserAgent  string
}

// CreateSession signs user in to workspace ws and returns the cookie token.
func CreateSession(tx *store.Tx, user, ws crm.ID, ip, userAgent string) (string, error) {
	token := ids.Token(24)
	now := store.Micros(tx.Now)
	if len(userAgent) > 300 {
		userAgent = userAgent[:300]
	}
	_, err := tx.Exec(`INSERT INTO sessions (token_hash, user_id, current_workspace, created_at, last_seen_at, expires_at, ip, user_agent)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?)`, HashToken(token), user, ws, now, now,
		store.Micros(tx.Now.Add(AbsoluteTimeout)), ip, userAgent)
	if err != nil {
		return "", fmt.Errorf("account: create session: %w", err)
	}
	return token, nil
}

var errNoSession = crm.Errorf(crm.Unauthorized, "Please sign in.")

// LookupSession returns the principal of a session token, and whether its
// last-seen time is due for an update. Expired or idle sessions, and users no
// longer members of the session's workspace, are refused.
func LookupSession(tx *store.Tx, token string) (crm.Principal, bool, error) {
	var p crm.Principal
	var lastSeen, expires, require int64
	var role string
	var totp *int64
	err := tx.QueryRow(`SELECT s.user_id, s.current_workspace, s.last_seen_at, s.expires_at, m.role, u.name, u.email, w.name,
		u.totp_enabled_at, w.require_2fa
		FROM sessions s
		JOIN memberships m ON m.user_id = s.user_id AND m.workspace_id = s.current_workspace AND m.deactivated_at IS NULL
		JOIN users u ON u.id = s.user_id
		JOIN workspaces w ON w.id = s.current_workspace
		WHERE s.token_hash = ?`, HashToken(token)).
		Scan(&p.UserID, &p.WorkspaceID, &lastSeen, &expires, &role, &p.Name, &p.Email, &p.Workspace, &totp, &require)
	p.TwoFactor, p.Require2FA = totp != nil, require != 0
	if errors.Is(err, store.ErrNoRows) {
		return p, false, errNoSession
	}
	if err != nil {
		return p, false, fmt.Errorf("account: look up session: %w", err)
	}
	now := store.Micros(tx.Now)
	if expires <= now || now-lastSeen > IdleTimeout.Microseconds() {
		return crm.Principal{}, false, errNoSession
	}
	p.Role = crm.Role(role)
	return p, now-lastSeen >= touchSessionGap.Microseconds(), nil
}

// TouchSession records activity on a session.
func TouchSession(tx *store.Tx, token string) error {
	_, err := tx.Exec(`UPDATE sessions SET last_seen_at = ? WHERE token_hash = ?`, store.Micros(tx.Now), HashToken(token))
	return err
}

// DeleteSession signs a session out.
func DeleteSession(tx *store.Tx, token string) error {
	_, err := tx.Exec(`DELETE FROM sessions WHERE token_hash = ?`, HashToken(token))
	return err
}

// ListedSession is a session as its owner sees it in settings.
type ListedSession struct {
	Session
	ID      string // the stored hash: identifies the session without being its token
	Current bool
}

// ListSessions lists a user's live sessions, most recently used first;
// currentToken marks the one making the request.
func ListSessions(tx *store.Tx, user crm.ID, currentToken string) ([]ListedSession, error) {
	rows, err := tx.Query(`SELECT token_hash, current_workspace, created_at, last_seen_at, expires_at, ip, user_agent
		FROM sessions WHERE user_id = ? AND expires_at > ? AND last_seen_at > ? ORDER BY last_seen_at DESC`,
		user, store.Micros(tx.Now), store.Micros(tx.Now.Add(-IdleTimeout)))
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	cur := HashToken(currentToken)
	var out []ListedSession
	for rows.Next() {
		s := ListedSession{Session: Session{UserID: user}}
		var created, seen, expires int64
		if err := rows.Scan(&s.ID, &s.Workspace, &created, &seen, &expires, &s.IP, &s.UserAgent); err != nil {
			return nil, err
		}
		s.CreatedAt, s.LastSeenAt, s.ExpiresAt = store.FromMicros(created), store.FromMicros(seen), store.FromMicros(expires)
		s.Current = s.ID == cur
		out = append(out, s)
	}
	return out, rows.Err()
}

// RevokeSession signs out one of the user's sessions by its listed id. A
// session of another user is not found.
func RevokeSession(tx *store.Tx, user crm.ID, id string) error {
	n, err := tx.Exec(`DELETE FROM sessions WHERE user_id = ? AND token_hash = ?`, user, id)
	if err != nil {
		return err
	}
	if n == 0 {
		return crm.Errorf(crm.NotFound, "No such session.")
	}
	return nil
}

// RevokeOtherSessions signs out every session of the user but the current one.
func RevokeOtherSessions(tx *store.Tx, user crm.ID, currentToken string) (int64, error) {
	return tx.Exec(`DELETE FROM sessions WHERE user_id = ? AND token_hash <> ?`, user, HashToken(currentToken))
}
