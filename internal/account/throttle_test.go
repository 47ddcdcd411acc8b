package account_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/tandemcrm/tandem/internal/account"
	"github.com/tandemcrm/tandem/internal/crm"
	"github.com/tandemcrm/tandem/internal/store"
	"github.com/tandemcrm/tandem/internal/store/testdb"
)

// throttleClock is a database whose clock the test moves.
type throttleClock struct {
	t   *testing.T
	db  *store.DB
	now time.Time
}

func newThrottleClock(t *testing.T) *throttleClock {
	c := &throttleClock{t: t, now: time.Date(2026, 4, 1, 10, 0, 0, 0, time.UTC)}
	c.db = testdb.NewSQLite(t, testdb.Options{Clock: func() time.Time { return c.now }})
	return c
}

func (c *throttleClock) wait(email, ip string, known bool) time.Duration {
	c.t.Helper()
	var w time.Duration
	if err := c.db.Read(context.Background(), func(tx *store.Tx) (err error) {
		w, err = account.CheckThrottle(tx, email, ip, known)
		return err
	}); err != nil {
		c.t.Fatal(err)
	}
	return w
}

func (c *throttleClock) write(fn func(tx *store.Tx) error) {
	c.t.Helper()
	if err := c.db.Write(context.Background(), fn); err != nil {
		c.t.Fatal(err)
	}
}

func (c *throttleClock) fail(email, ip string, times int) {
	for range times {
		c.write(func(tx *store.Tx) error { return account.RecordFailure(tx, email, ip) })
	}
}

func TestCheckThrottleBackoff(t *testing.T) {
	c := newThrottleClock(t)
	const victim, attacker, home = "v@example.com", "203.0.113.9", "198.51.100.1"
	c.fail(victim, attacker, 5)
	if w := c.wait(victim, home, false); w != 0 {
		t.Fatalf("waiting after the free failures: %v", w)
	}
	for i, want := range []time.Duration{time.Second, 2 * time.Second, 4 * time.Second, 8 * time.Second} {
		c.fail(victim, attacker, 1)
		if w := c.wait(victim, home, false); w != want {
			t.Fatalf("after %d failures: wait %v, want %v", 6+i, w, want)
		}
	}
	c.fail(victim, attacker, 30)
	if w := c.wait(victim, home, false); w != 15*time.Minute {
		t.Fatalf("capped wait = %v, want 15m", w)
	}
	// The attacking address is slowed for every account it tries.
	if w := c.wait("other@example.com", attacker, false); w != 15*time.Minute {
		t.Fatalf("attacking IP waits %v", w)
	}
	// The victim's known browser is not held up by the email's counter…
	if w := c.wait(victim, home, true); w != 0 {
		t.Fatalf("known device waits %v", w)
	}
	// …but a known-device flag does not free the attacking address.
	if w := c.wait(victim, attacker, true); w == 0 {
		t.Fatal("known device on the attacking IP skipped the IP counter")
	}
	// The cap bounds the lock-out even for an unknown browser.
	c.now = c.now.Add(15*time.Minute + time.Second)
	if w := c.wait(victim, home, false); w != 0 {
		t.Fatalf("still locked after the cap: %v", w)
	}
	// A success clears the email, not the attacking IP.
	c.fail(victim, attacker, 1)
	c.write(func(tx *store.Tx) error { return account.RecordSuccess(tx, victim, home) })
	if w := c.wait(victim, home, false); w != 0 {
		t.Fatalf("success did not clear the email: %v", w)
	}
	if w := c.wait("third@example.com", attacker, false); w == 0 {
		t.Fatal("a success elsewhere cleared the attacking IP")
	}
	// After a quiet day the count starts again from zero.
	c.now = c.now.Add(25 * time.Hour)
	c.fail("other@example.com", attacker, 1)
	if w := c.wait("other@example.com", attacker, false); w != 0 {
		t.Fatalf("old failures still counted: %v", w)
	}
}

func TestThrottleIPv6PerPrefixAndNoClearText(t *testing.T) {
	c := newThrottleClock(t)
	// Each failure from a different address of the same /64.
	for i := range 8 {
		c.fail("a"+string(rune('a'+i))+"@example.com", "2001:db8:1:2::"+string(rune('a'+i)), 1)
	}
	if w := c.wait("new@example.com", "2001:db8:1:2:ffff::1", false); w == 0 {
		t.Fatal("a /64 escaped its counter by changing addresses")
	}
	if w := c.wait("new@example.com", "2001:db8:1:3::1", false); w != 0 {
		t.Fatalf("the neighbouring /64 waits %v", w)
	}
	// A garbled address counts against no shared key.
	c.fail("x@example.com", "not an ip", 10)
	if w := c.wait("y@example.com", "also garbage", false); w != 0 {
		t.Fatalf("garbled addresses share a counter: %v", w)
	}
	if err := c.db.Read(context.Background(), func(tx *store.Tx) error {
		rows, err := tx.Query(`SELECT key FROM signin_throttle`)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var k string
			if err := rows.Scan(&k); err != nil {
				return err
			}
			if strings.Contains(k, "@") || strings.Contains(k, "2001") {
				t.Errorf("clear text key %q", k)
			}
		}
		return rows.Err()
	}); err != nil {
		t.Fatal(err)
	}
}

func TestKnownDevices(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		var ann crm.User
		var first, second string
		must(t, db.Write(ctx, func(tx *store.Tx) (err error) {
			if ann, err = account.CreateUser(tx, account.NewUser{Email: "ann@d.test", Name: "Ann", Password: "a long enough phrase"}); err != nil {
				return err
			}
			if _, err = account.CreateUser(tx, account.NewUser{Email: "ben@d.test", Name: "Ben", Password: "a long enough phrase"}); err != nil {
				return err
			}
			if first, err = account.RememberDevice(tx, ann.ID, ""); err != nil {
				return err
			}
			second, err = account.RememberDevice(tx, ann.ID, first)
			return err
		}))
		known := func(email, token string) bool {
			var ok bool
			must(t, db.Read(ctx, func(tx *store.Tx) (err error) { ok, err = account.KnownDevice(tx, email, token); return err }))
			return ok
		}
		switch {
		case !known("ANN@d.test", second):
			t.Fatal("remembered device not known")
		case known("ann@d.test", first):
			t.Fatal("replaced device token still known")
		case known("ben@d.test", second):
			t.Fatal("Ann's device is known for Ben")
		case known("ann@d.test", ""):
			t.Fatal("empty token known")
		}
		must(t, db.Write(ctx, func(tx *store.Tx) error { return account.ForgetDevices(tx, ann.ID) }))
		if known("ann@d.test", second) {
			t.Fatal("forgotten device still known")
		}
	})
}

func TestKnownDeviceExpires(t *testing.T) {
	c := newThrottleClock(t)
	var token string
	c.write(func(tx *store.Tx) error {
		u, err := account.CreateUser(tx, account.NewUser{Email: "e@d.test", Name: "E", Password: "a long enough phrase"})
		if err != nil {
			return err
		}
		token, err = account.RememberDevice(tx, u.ID, "")
		return err
	})
	c.now = c.now.Add(181 * 24 * time.Hour)
	c.write(func(tx *store.Tx) error {
		if ok, err := account.KnownDevice(tx, "e@d.test", token); err != nil || ok {
			t.Errorf("expired device known=%v err=%v", ok, err)
		}
		n, err := account.PruneThrottle(tx)
		if n != 1 {
			t.Errorf("pruned %d rows, want 1", n)
		}
		return err
	})
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// TestPruneExpired: the periodic clean-up removes expired reset links and
// challenges, and keeps live ones.
func TestPruneExpired(t *testing.T) {
	c := newThrottleClock(t)
	var user crm.ID
	c.write(func(tx *store.Tx) error {
		u, err := account.CreateUser(tx, account.NewUser{Email: "p@d.test", Name: "P", Password: "a long enough phrase"})
		if err != nil {
			return err
		}
		user = u.ID
		if _, _, err := account.RequestPasswordReset(tx, "p@d.test"); err != nil {
			return err
		}
		_, err = account.CreateChallenge(tx, u.ID, 1)
		return err
	})
	count := func() (n int) {
		c.write(func(tx *store.Tx) error {
			return tx.QueryRow(`SELECT (SELECT count(*) FROM password_resets WHERE user_id = ?) + (SELECT count(*) FROM signin_challenges WHERE user_id = ?)`,
				user, user).Scan(&n)
		})
		return n
	}
	prune := func() {
		c.write(func(tx *store.Tx) error { _, err := account.PruneExpired(tx); return err })
	}
	prune()
	if n := count(); n != 2 {
		t.Fatalf("live rows pruned: %d left, want 2", n)
	}
	c.now = c.now.Add(2 * time.Hour)
	prune()
	if n := count(); n != 0 {
		t.Fatalf("%d expired rows left", n)
	}
}
