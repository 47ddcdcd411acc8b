package account

import (
	"time"

	"github.com/tandemcrm/tandem/internal/crm"
)

// Sign-in throttling, per email and per IP, kept in the database so that all
// replicas agree. The first few failures are free; after that each failure
// doubles the wait, capped, so an attacker who knows a victim's email can
// slow the victim down for at most the cap after their last attempt — never
// lock them out for good. A complete sign-in clears the email's counter.
// The functions are in throttle.go (CheckThrottle, RecordFailure,
// RecordSuccess, known devices).
const (
	freeFailures = 5
	firstWait    = time.Second
	maxWait      = 15 * time.Minute
	forgetAfter  = 24 * time.Hour // counters fade after a quiet day
)

// TooManyAttempts is the error shown while a sign-in must wait.
func TooManyAttempts(wait time.Duration) error {
	secs := int(wait.Round(time.Second).Seconds())
	if secs < 1 {
		secs = 1
	}
	return crm.Errorf(crm.TooMany, "Too many failed attempts. Try again in %d seconds, or reset your password.", secs)
}
