package privacy_test

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/tandemcrm/tandem/internal/privacy"
	"github.com/tandemcrm/tandem/internal/store"
	"github.com/tandemcrm/tandem/internal/store/testdb"
)

// The public pages' limit counts in the database: it refuses the hit past
// Max, per key and bucket, remembers a burst across a window boundary,
// forgets after two windows, and the purge deletes spent counters.
func TestRateLimitIsPersistent(t *testing.T) {
	var mu sync.Mutex
	start := time.Date(2026, 11, 30, 10, 59, 0, 0, time.UTC) // a minute before a window boundary
	now := start
	clock := func() time.Time { mu.Lock(); defer mu.Unlock(); return now }
	advance := func(d time.Duration) { mu.Lock(); now = now.Add(d); mu.Unlock() }
	testdb.EachWith(t, testdb.Options{Clock: clock}, func(t *testing.T, db *store.DB) {
		mu.Lock()
		now = start // each dialect from the same moment
		mu.Unlock()
		l := privacy.Limit{Bucket: "form", Max: 3, Window: time.Hour}
		hit := func(l privacy.Limit, key string) bool {
			t.Helper()
			var ok bool
			if err := db.Write(context.Background(), func(tx *store.Tx) (err error) { ok, err = l.Allow(tx, key); return err }); err != nil {
				t.Fatal(err)
			}
			return ok
		}
		for i := 1; i <= 3; i++ {
			if !hit(l, "net-a") {
				t.Fatalf("hit %d refused", i)
			}
		}
		if hit(l, "net-a") {
			t.Fatal("fourth hit allowed")
		}
		if !hit(l, "net-b") || !hit(privacy.Limit{Bucket: "other", Max: 3, Window: time.Hour}, "net-a") {
			t.Fatal("another network or bucket was limited")
		}
		// Two minutes later a new fixed window has begun, but the burst is
		// still within the last hour: refused. (A fresh Limit value: nothing
		// is kept in memory, so another process or a restart sees the same.)
		advance(2 * time.Minute)
		if hit(privacy.Limit{Bucket: "form", Max: 3, Window: time.Hour}, "net-a") {
			t.Fatal("a burst across the window boundary was forgotten")
		}
		advance(2 * time.Hour)
		if !hit(l, "net-a") {
			t.Fatal("still refused two hours later")
		}
		var pruned int64
		if err := db.Write(context.Background(), func(tx *store.Tx) (err error) { pruned, err = privacy.PruneRateLimits(tx); return err }); err != nil {
			t.Fatal(err)
		}
		var left int
		if err := db.Read(context.Background(), func(tx *store.Tx) error {
			return tx.QueryRow(`SELECT COUNT(*) FROM rate_limits`).Scan(&left)
		}); err != nil {
			t.Fatal(err)
		}
		// net-a/form/10:00, net-b, other and net-a/form/11:00 went; net-a/form/13:00 stays.
		if pruned != 4 || left != 1 {
			t.Errorf("pruned %d, left %d; want 4 and 1", pruned, left)
		}
	})
}
