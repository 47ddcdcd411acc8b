package account

import (
	"errors"
	"fmt"

	"github.com/tandemcrm/tandem/internal/crm"
	"github.com/tandemcrm/tandem/internal/store"
)

// errSignIn is the one answer for an unknown email and a wrong password, so
// the form reveals nothing about which accounts exist.
var errSignIn = crm.Errorf(crm.Unauthorized, "That email and password do not match an account.")

// SignIn checks credentials and returns the user and the workspace to open
// (the one they joined first).
func SignIn(tx *store.Tx, email, password string) (crm.User, crm.ID, error) {
	email, _ = NormalizeEmail(email)
	var u crm.User
	var hash string
	err := tx.QueryRow(`SELECT id, email, name, password_hash FROM users WHERE email = ?`, email).
		Scan(&u.ID, &u.Email, &u.Name, &hash)
	if errors.Is(err, store.ErrNoRows) {
		CheckDummy(password) // same time as a real check
		return u, 0, errSignIn
	}
	if err != nil {
		return u, 0, fmt.Errorf("account: sign in: %w", err)
	}
	if !CheckPassword(hash, password) {
		return u, 0, errSignIn
	}
	var ws crm.ID
	// A user's memberships span workspaces, so this lookup is by user, across
	// workspaces, on purpose: the one place sign-in steps over the boundary.
	err = tx.Unscoped().QueryRow(`SELECT workspace_id FROM memberships WHERE user_id = ? AND deactivated_at IS NULL ORDER BY created_at, workspace_id LIMIT 1`, u.ID).Scan(&ws)
	if errors.Is(err, store.ErrNoRows) {
		return u, 0, crm.Errorf(crm.Forbidden, "Your account is not a member of any workspace. Ask an owner to invite you.")
	}
	return u, ws, err
}

// SignInSSO finds the user a single-sign-on provider vouched for. Accounts
// are linked by email, and only by an email the provider says it verified;
// nobody is created here — people join by invitation.
func SignInSSO(tx *store.Tx, email string, verified bool) (crm.User, crm.ID, error) {
	if !verified {
		return crm.User{}, 0, crm.Errorf(crm.Unauthorized, "Your provider has not verified your email address, so Tandem cannot match it to an account.")
	}
	email, _ = NormalizeEmail(email)
	var u crm.User
	err := tx.QueryRow(`SELECT id, email, name FROM users WHERE email = ?`, email).Scan(&u.ID, &u.Email, &u.Name)
	if errors.Is(err, store.ErrNoRows) {
		return u, 0, crm.Errorf(crm.Unauthorized, "No Tandem account uses %s. Ask an owner to invite you.", email)
	}
	if err != nil {
		return u, 0, err
	}
	var ws crm.ID
	err = tx.Unscoped().QueryRow(`SELECT workspace_id FROM memberships WHERE user_id = ? AND deactivated_at IS NULL
		ORDER BY created_at, workspace_id LIMIT 1`, u.ID).Scan(&ws)
	if errors.Is(err, store.ErrNoRows) {
		return u, 0, crm.Errorf(crm.Forbidden, "Your account is not a member of any workspace. Ask an owner to invite you.")
	}
	return u, ws, err
}
