package account

import (
	"errors"

	"github.com/tandemcrm/tandem/internal/crm"
	"github.com/tandemcrm/tandem/internal/store"
)

// SecondFactorNeed is what a sign-in still needs after a right password (or
// a provider's word, for single sign-on).
type SecondFactorNeed int

// The answers of NeedsSecondFactor.
const (
	// NoSecondFactor: the password is enough; open the session.
	NoSecondFactor SecondFactorNeed = iota
	// AskCode: the user has a factor; issue a challenge (CreateChallenge)
	// and open the session only after VerifySecondFactor.
	AskCode
	// MustEnrol: the workspace requires a factor and the user has none; the
	// session may open, but only the set-up pages work until StartTOTP and
	// ConfirmTOTP are done.
	MustEnrol
)

// NeedsSecondFactor is the one place sign-in, single sign-on and the session
// middleware ask whether a user signing in to ws needs a second factor.
func NeedsSecondFactor(tx *store.Tx, user, ws crm.ID) (SecondFactorNeed, error) {
	var enabled *int64
	var required int64
	err := tx.QueryRow(`SELECT u.totp_enabled_at, w.require_2fa FROM users u, workspaces w WHERE u.id = ? AND w.id = ?`,
		user, ws).Scan(&enabled, &required)
	switch {
	case errors.Is(err, store.ErrNoRows):
		return NoSecondFactor, crm.Errorf(crm.NotFound, "No such user or workspace.")
	case err != nil:
		return NoSecondFactor, err
	case enabled != nil:
		return AskCode, nil
	case required != 0:
		return MustEnrol, nil
	}
	return NoSecondFactor, nil
}
