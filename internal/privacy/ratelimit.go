package privacy

import (
	"errors"
	"fmt"
	"time"

	"github.com/tandemcrm/tandem/internal/store"
)

// Limit is a rate limit of a public page: at most Max hits per Window for
// one client key, counted in the database so that it holds across restarts
// and across every process sharing the database.
type Limit struct {
	Bucket string // what is limited, e.g. "privacy-form"
	Max    int
	Window time.Duration
}

// Allow counts one hit of key (a keyed hash of the client's network — the
// caller hashes it, so no address is stored) and reports whether it is
// within the limit. It counts in fixed windows and estimates the sliding
// one: the previous window's hits weigh by how much of it still overlaps
// the last Window, so a burst across a window boundary is still caught.
// Refused hits count too, so a flood stays refused. Run it in its own
// transaction: the count must stick even when the request then fails.
func (l Limit) Allow(tx *store.Tx, key string) (bool, error) {
	w := l.Window.Microseconds()
	now := store.Micros(tx.Now)
	start := now - now%w
	var hits int64
	err := tx.QueryRow(`INSERT INTO rate_limits (bucket, key, window_start, hits, expires_at) VALUES (?, ?, ?, 1, ?)
		ON CONFLICT (bucket, key, window_start) DO UPDATE SET hits = rate_limits.hits + 1
		RETURNING hits`, l.Bucket, key, start, start+2*w).Scan(&hits)
	if err != nil {
		return false, fmt.Errorf("privacy: rate limit %s: %w", l.Bucket, err)
	}
	var prev int64
	err = tx.QueryRow(`SELECT hits FROM rate_limits WHERE bucket = ? AND key = ? AND window_start = ?`,
		l.Bucket, key, start-w).Scan(&prev)
	if err != nil && !errors.Is(err, store.ErrNoRows) {
		return false, fmt.Errorf("privacy: rate limit %s: %w", l.Bucket, err)
	}
	// prev × (the part of the previous window still inside the last Window).
	estimate := float64(hits) + float64(prev)*float64(w-(now-start))/float64(w)
	return estimate <= float64(l.Max), nil
}

// PruneRateLimits deletes counters whose windows can no longer matter: the
// privacy package's share of the hourly purge job.
func PruneRateLimits(tx *store.Tx) (int64, error) {
	n, err := tx.Exec(`DELETE FROM rate_limits WHERE expires_at <= ?`, store.Micros(tx.Now))
	if err != nil {
		return 0, fmt.Errorf("privacy: prune rate limits: %w", err)
	}
	return n, nil
}
