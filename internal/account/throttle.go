package account

import (
	"errors"
	"fmt"
	"net/netip"
	"strings"
	"time"

	"github.com/tandemcrm/tandem/internal/crm"
	"github.com/tandemcrm/tandem/internal/ids"
	"github.com/tandemcrm/tandem/internal/store"
)

// Sign-in throttling, second version: the policy of throttling.go (five free
// failures, then 1s, 2s, 4s … capped at 15 minutes, forgotten after a quiet
// day, kept in signin_throttle so every replica agrees) plus three things:
//
//   - A known device skips the per-account counter. Someone hammering a
//     victim's email from elsewhere would otherwise keep the victim waiting
//     for as long as they keep it up (one failure every cap renews the wait).
//     A browser that has completed a sign-in as that user before still has
//     to give the password (and the second factor); it only skips the wait.
//     The per-IP counter applies to everyone.
//   - IPv6 clients are counted per /64: one host usually owns a whole /64,
//     and counting single addresses would give it 2^64 fresh counters.
//   - Keys are hashes: the table holds no typed email or IP in clear.
//
// Failed second-factor codes must be recorded with RecordFailure too, and
// RecordSuccess called only once the whole sign-in (password and second
// factor) succeeded: otherwise a stolen password earns unlimited code guesses.

// deviceTTL is how long a browser stays known after its last sign-in.
const deviceTTL = 180 * 24 * time.Hour

// CheckThrottle says how long a sign-in for email from ip must wait before
// its password is even checked; 0 means go ahead. knownDevice comes from
// KnownDevice.
func CheckThrottle(tx *store.Tx, email, ip string, knownDevice bool) (time.Duration, error) {
	keys := []string{ipThrottleKey(ip)}
	if !knownDevice {
		keys = append(keys, emailThrottleKey(email))
	}
	var wait time.Duration
	for _, key := range keys {
		if key == "" {
			continue
		}
		var until int64
		err := tx.QueryRow(`SELECT locked_until FROM signin_throttle WHERE key = ?`, key).Scan(&until)
		if errors.Is(err, store.ErrNoRows) {
			continue
		}
		if err != nil {
			return 0, fmt.Errorf("account: throttle: %w", err)
		}
		wait = max(wait, store.FromMicros(until).Sub(tx.Now))
	}
	return wait, nil
}

// RecordFailure counts a failed password or second-factor code against the
// email and the IP. Call it in its own transaction: the attempt's rolls back.
func RecordFailure(tx *store.Tx, email, ip string) error {
	for _, key := range []string{emailThrottleKey(email), ipThrottleKey(ip)} {
		if key == "" {
			continue
		}
		if err := bumpThrottle(tx, key); err != nil {
			return fmt.Errorf("account: record failure: %w", err)
		}
	}
	return nil
}

// RecordSuccess clears the email's counter after a complete sign-in. The
// IP's counter stays: an attacker with one valid account must not be able
// to reset their IP's count between guesses at other people's passwords.
func RecordSuccess(tx *store.Tx, email, ip string) error {
	_ = ip // kept in the signature so callers need not know the rule above
	_, err := tx.Exec(`DELETE FROM signin_throttle WHERE key = ?`, emailThrottleKey(email))
	return err
}

func bumpThrottle(tx *store.Tx, key string) error {
	now := store.Micros(tx.Now)
	var failures, last int64
	err := tx.QueryRow(`SELECT failures, last_at FROM signin_throttle WHERE key = ?`, key).Scan(&failures, &last)
	if err != nil && !errors.Is(err, store.ErrNoRows) {
		return err
	}
	if now-last > forgetAfter.Microseconds() {
		failures = 0
	}
	failures++
	until := now + backoff(failures).Microseconds()
	_, err = tx.Exec(`INSERT INTO signin_throttle (key, failures, last_at, locked_until) VALUES (?, ?, ?, ?)`+
		tx.Dialect().Upsert("key", "failures = excluded.failures, last_at = excluded.last_at, locked_until = excluded.locked_until"),
		key, failures, now, until)
	return err
}

// backoff is the wait after the nth consecutive failure.
func backoff(failures int64) time.Duration {
	if failures <= freeFailures {
		return 0
	}
	// Shifting by more than 20 would only overflow towards the cap anyway.
	return min(firstWait<<min(failures-freeFailures-1, 20), maxWait)
}

func emailThrottleKey(email string) string {
	return "e:" + HashToken(strings.ToLower(strings.TrimSpace(email)))
}

// ipThrottleKey is "" for a missing or unparsable address: better no IP
// counter than one shared by every client whose address we failed to read.
func ipThrottleKey(ip string) string {
	addr, err := netip.ParseAddr(strings.TrimSpace(ip))
	if err != nil {
		return ""
	}
	addr = addr.Unmap()
	if addr.Is6() {
		addr = netip.PrefixFrom(addr, 64).Masked().Addr()
	}
	return "i:" + HashToken(addr.String())
}

// PruneThrottle deletes counters quiet for a day and expired known devices;
// a periodic job calls it so scanners do not grow the tables for ever.
func PruneThrottle(tx *store.Tx) (int64, error) {
	n, err := tx.Exec(`DELETE FROM signin_throttle WHERE last_at < ? AND locked_until < ?`,
		store.Micros(tx.Now.Add(-forgetAfter)), store.Micros(tx.Now))
	if err != nil {
		return n, err
	}
	m, err := tx.Exec(`DELETE FROM known_devices WHERE expires_at <= ?`, store.Micros(tx.Now))
	return n + m, err
}

// RememberDevice marks the browser that just completed a sign-in as known to
// the user and returns the token for a long-lived cookie. Pass the token the
// browser already had (or "") so that it is replaced, not piled up.
func RememberDevice(tx *store.Tx, user crm.ID, oldToken string) (string, error) {
	if oldToken != "" {
		if _, err := tx.Exec(`DELETE FROM known_devices WHERE token_hash = ? AND user_id = ?`, HashToken(oldToken), user); err != nil {
			return "", err
		}
	}
	token := ids.Token(24)
	now := store.Micros(tx.Now)
	_, err := tx.Exec(`INSERT INTO known_devices (token_hash, user_id, created_at, last_used_at, expires_at) VALUES (?, ?, ?, ?, ?)`,
		HashToken(token), user, now, now, store.Micros(tx.Now.Add(deviceTTL)))
	if err != nil {
		return "", fmt.Errorf("account: remember device: %w", err)
	}
	return token, nil
}

// KnownDevice reports whether token is a live known-device token of the
// account with email. A token of another account is not known for this one.
func KnownDevice(tx *store.Tx, email, token string) (bool, error) {
	if token == "" {
		return false, nil
	}
	email, _ = NormalizeEmail(email)
	var n int
	err := tx.QueryRow(`SELECT count(*) FROM known_devices d JOIN users u ON u.id = d.user_id
		WHERE d.token_hash = ? AND u.email = ? AND d.expires_at > ?`, HashToken(token), email, store.Micros(tx.Now)).Scan(&n)
	return n > 0, err
}

// ForgetDevices makes every browser of the user unknown again: after a
// password reset, or when the user asks to sign out everywhere.
func ForgetDevices(tx *store.Tx, user crm.ID) error {
	_, err := tx.Exec(`DELETE FROM known_devices WHERE user_id = ?`, user)
	return err
}

// PruneExpired is the account package's share of the periodic clean-up:
// spent or expired reset links and sign-in challenges, quiet throttle
// counters and expired known devices.
func PruneExpired(tx *store.Tx) (int64, error) {
	n, err := PruneThrottle(tx)
	if err != nil {
		return n, err
	}
	for _, q := range []string{
		`DELETE FROM password_resets WHERE expires_at <= ?`,
		`DELETE FROM signin_challenges WHERE expires_at <= ?`,
	} {
		m, err := tx.Exec(q, store.Micros(tx.Now))
		if err != nil {
			return n, fmt.Errorf("account: prune: %w", err)
		}
		n += m
	}
	return n, nil
}
