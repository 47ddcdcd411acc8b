package account

import (
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/tandemcrm/tandem/internal/crm"
	"github.com/tandemcrm/tandem/internal/store"
)

// Sign-in throttling, per email and per IP, kept in the database so that all
// replicas agree. The first few failures are free; after that each failure
// doubles the wait, capped, so an attacker who knows a victim's email can
// slow the victim down for at most the cap after their last attempt — never
// lock them out for good. A success clears the email's counter.
const (
	freeFailures = 5
	firstWait    = time.Second
	maxWait      = 15 * time.Minute
	forgetAfter  = 24 * time.Hour // counters fade after a quiet day
)

// ThrottleWait says how long a sign-in for email from ip must wait; 0 means
// go ahead.
func ThrottleWait(tx *store.Tx, email, ip string) (time.Duration, error) {
	var wait time.Duration
	for _, key := range throttleKeys(email, ip) {
		var until int64
		err := tx.QueryRow(`SELECT locked_until FROM signin_throttle WHERE key = ?`, key).Scan(&until)
		if errors.Is(err, store.ErrNoRows) {
			continue
		}
		if err != nil {
			return 0, fmt.Errorf("account: throttle: %w", err)
		}
		if d := store.FromMicros(until).Sub(tx.Now); d > wait {
			wait = d
		}
	}
	return wait, nil
}

// ThrottleFailure counts a failed sign-in against the email and the IP.
func ThrottleFailure(tx *store.Tx, email, ip string) error {
	now := store.Micros(tx.Now)
	for _, key := range throttleKeys(email, ip) {
		var failures, last int64
		err := tx.QueryRow(`SELECT failures, last_at FROM signin_throttle WHERE key = ?`, key).Scan(&failures, &last)
		if err != nil && !errors.Is(err, store.ErrNoRows) {
			return err
		}
		if now-last > forgetAfter.Microseconds() {
			failures = 0
		}
		failures++
		until := now
		if failures > freeFailures {
			wait := firstWait << min(failures-freeFailures-1, 20)
			until = now + min(wait, maxWait).Microseconds()
		}
		if _, err := tx.Exec(`INSERT INTO signin_throttle (key, failures, last_at, locked_until) VALUES (?, ?, ?, ?)`+
			tx.Dialect().Upsert("key", "failures = excluded.failures, last_at = excluded.last_at, locked_until = excluded.locked_until"),
			key, failures, now, until); err != nil {
			return err
		}
	}
	return nil
}

// ThrottleSuccess clears the email's counter (the IP's stays: one IP trying
// many accounts is still suspicious).
func ThrottleSuccess(tx *store.Tx, email string) error {
	_, err := tx.Exec(`DELETE FROM signin_throttle WHERE key = ?`, "email:"+strings.ToLower(strings.TrimSpace(email)))
	return err
}

func throttleKeys(email, ip string) []string {
	keys := []string{"email:" + strings.ToLower(strings.TrimSpace(email))}
	if ip != "" {
		keys = append(keys, "ip:"+ip)
	}
	return keys
}

// TooManyAttempts is the error shown while a sign-in must wait.
func TooManyAttempts(wait time.Duration) error {
	secs := int(wait.Round(time.Second).Seconds())
	if secs < 1 {
		secs = 1
	}
	return crm.Errorf(crm.TooMany, "Too many failed attempts. Try again in %d seconds, or reset your password.", secs)
}
