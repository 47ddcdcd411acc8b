package account

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"time"

	"github.com/tandemcrm/tandem/internal/ids"
	"github.com/tandemcrm/tandem/internal/store"
)

// setupTTL is how long a printed setup link stays valid.
const setupTTL = 24 * time.Hour

// NeedsSetup reports whether the instance has no user yet.
func NeedsSetup(tx *store.Tx) (bool, error) {
	var n int
	if err := tx.QueryRow(`SELECT count(*) FROM (SELECT 1 FROM users LIMIT 1) u`).Scan(&n); err != nil {
		return false, fmt.Errorf("account: count users: %w", err)
	}
	return n == 0, nil
}

// NewSetupToken returns a fresh one-time setup token when the instance has no
// user yet, and "" otherwise. Only its hash is stored.
func NewSetupToken(tx *store.Tx) (string, error) {
	need, err := NeedsSetup(tx)
	if err != nil || !need {
		return "", err
	}
	token := ids.Token(24)
	_, err = tx.Exec(`INSERT INTO setup_tokens (token_hash, created_at, expires_at) VALUES (?, ?, ?)`,
		HashToken(token), store.Micros(tx.Now), store.Micros(tx.Now.Add(setupTTL)))
	if err != nil {
		return "", fmt.Errorf("account: store setup token: %w", err)
	}
	return token, nil
}

// HashToken is how every bearer token (sessions, setup, resets, API keys) is
// stored: a SHA-256, so a copy of the database grants nothing. Tokens are
// 192 random bits, so no slow hash is needed.
func HashToken(token string) string {
	sum := sha256.Sum256([]byte(token))
	return hex.EncodeToString(sum[:])
}
