package account

import (
	"errors"
	"fmt"
	"time"

	"github.com/tandemcrm/tandem/internal/audit"
	"github.com/tandemcrm/tandem/internal/crm"
	"github.com/tandemcrm/tandem/internal/ids"
	"github.com/tandemcrm/tandem/internal/store"
)

// A forgotten password is never sent or shown: the user gets a single-use
// link that expires, and setting a new password through it signs out every
// session.
const (
	resetTTL   = time.Hour
	resetEvery = time.Minute
)

// RequestPasswordReset makes a reset token for the account with email. For
// an unknown email, or when a link was sent less than a minute ago, it
// returns an empty token and no error: the caller says "if an account
// exists, we sent a link" either way.
func RequestPasswordReset(tx *store.Tx, email string) (string, crm.User, error) {
	email, _ = NormalizeEmail(email)
	var u crm.User
	err := tx.QueryRow(`SELECT id, email, name FROM users WHERE email = ?`, email).Scan(&u.ID, &u.Email, &u.Name)
	if errors.Is(err, store.ErrNoRows) {
		return "", u, nil
	}
	if err != nil {
		return "", u, fmt.Errorf("account: reset: %w", err)
	}
	// One mail a minute at most: "forgot password" must not become a way to
	// flood someone's inbox. The answer to the visitor is the same.
	var recent int
	if err := tx.QueryRow(`SELECT count(*) FROM password_resets WHERE user_id = ? AND created_at > ?`,
		u.ID, store.Micros(tx.Now.Add(-resetEvery))).Scan(&recent); err != nil {
		return "", u, err
	}
	if recent > 0 {
		return "", u, nil
	}
	// Only the newest link works.
	if _, err := tx.Exec(`DELETE FROM password_resets WHERE user_id = ?`, u.ID); err != nil {
		return "", u, err
	}
	token := ids.Token(24)
	_, err = tx.Exec(`INSERT INTO password_resets (token_hash, user_id, created_at, expires_at) VALUES (?, ?, ?, ?)`,
		HashToken(token), u.ID, store.Micros(tx.Now), store.Micros(tx.Now.Add(resetTTL)))
	return token, u, err
}

var errResetLink = crm.Errorf(crm.NotFound, "This reset link is not valid any more. Ask for a new one.")

// CheckResetToken reports whether a reset token can still be used.
func CheckResetToken(tx *store.Tx, token string) (crm.ID, error) {
	var user crm.ID
	err := tx.QueryRow(`SELECT user_id FROM password_resets WHERE token_hash = ? AND expires_at > ?`,
		HashToken(token), store.Micros(tx.Now)).Scan(&user)
	if errors.Is(err, store.ErrNoRows) {
		return 0, errResetLink
	}
	return user, err
}

// ResetPassword spends a reset token: sets the new password, signs out every
// session of the user and records it in the audit log of each workspace.
func ResetPassword(tx *store.Tx, token, password string, c Client) (crm.User, error) {
	user, err := CheckResetToken(tx, token)
	if err != nil {
		return crm.User{}, err
	}
	u, err := setPassword(tx, user, password)
	if err != nil {
		return u, err
	}
	if _, err := tx.Exec(`DELETE FROM password_resets WHERE user_id = ?`, user); err != nil {
		return u, err
	}
	if _, err := tx.Exec(`DELETE FROM sessions WHERE user_id = ?`, user); err != nil {
		return u, err
	}
	// Whoever forced the reset may have used a known browser: none stays known.
	if err := ForgetDevices(tx, user); err != nil {
		return u, err
	}
	return u, auditEverywhere(tx, u.ID, audit.PasswordReset, c)
}

// ChangePassword sets a new password for a signed-in user who proves the
// current one. Other sessions are signed out; the current one stays.
func ChangePassword(tx *store.Tx, p crm.Principal, current, password, currentToken string, c Client) error {
	var hash string
	if err := tx.QueryRow(`SELECT password_hash FROM users WHERE id = ?`, p.UserID).Scan(&hash); err != nil {
		return err
	}
	if !CheckPassword(hash, current) {
		return (crm.FieldErrors{"current_password": "That is not your current password."}).Err()
	}
	if _, err := setPassword(tx, p.UserID, password); err != nil {
		return err
	}
	if _, err := RevokeOtherSessions(tx, p.UserID, currentToken); err != nil {
		return err
	}
	return auditEverywhere(tx, p.UserID, audit.PasswordChanged, c)
}

func setPassword(tx *store.Tx, user crm.ID, password string) (crm.User, error) {
	var u crm.User
	if err := tx.QueryRow(`SELECT id, email, name FROM users WHERE id = ?`, user).Scan(&u.ID, &u.Email, &u.Name); err != nil {
		return u, err
	}
	if msg := ValidatePassword(password, u.Email); msg != "" {
		return u, (crm.FieldErrors{"password": msg}).Err()
	}
	hash, err := HashPassword(password)
	if err != nil {
		return u, err
	}
	_, err = tx.Exec(`UPDATE users SET password_hash = ?, updated_at = ? WHERE id = ?`, hash, store.Micros(tx.Now), user)
	return u, err
}

// auditEverywhere records a user-level security event in the audit log of
// every workspace the user belongs to.
func auditEverywhere(tx *store.Tx, user crm.ID, action string, c Client) error {
	// By user, across workspaces, on purpose: the event belongs to each.
	rows, err := tx.Unscoped().Query(`SELECT workspace_id FROM memberships WHERE user_id = ?`, user)
	if err != nil {
		return err
	}
	var wss []crm.ID
	for rows.Next() {
		var ws crm.ID
		if err := rows.Scan(&ws); err != nil {
			rows.Close()
			return err
		}
		wss = append(wss, ws)
	}
	rows.Close()
	for _, ws := range wss {
		if _, err := audit.Record(tx, audit.Entry{WorkspaceID: ws, Actor: crm.UserActor(user), Action: action,
			ObjectType: "user", ObjectID: user, IP: c.IP, UserAgent: c.UserAgent}); err != nil {
			return err
		}
	}
	return rows.Err()
}
