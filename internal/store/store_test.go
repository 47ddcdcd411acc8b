package store_test

import (
	"context"
	"errors"
	"io/fs"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/tandemcrm/tandem/internal/crm"
	"github.com/tandemcrm/tandem/internal/ids"
	"github.com/tandemcrm/tandem/internal/store"
	"github.com/tandemcrm/tandem/internal/store/testdb"
)

func TestMain(m *testing.M) { testdb.Main(m) }

func TestMigrationParity(t *testing.T) {
	names := func(d store.Dialect) []string {
		var out []string
		err := fs.WalkDir(store.Migrations(d), ".", func(p string, e fs.DirEntry, err error) error {
			if err == nil && !e.IsDir() && strings.HasSuffix(p, ".sql") {
				out = append(out, p)
			}
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		sort.Strings(out)
		return out
	}
	lite, pg := names(store.SQLite), names(store.Postgres)
	if len(lite) == 0 {
		t.Fatal("no migrations embedded")
	}
	if strings.Join(lite, ",") != strings.Join(pg, ",") {
		t.Fatalf("migration files differ between dialects:\nsqlite:   %v\npostgres: %v", lite, pg)
	}
}

func TestMigrateUpFromEmpty(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		st, err := db.Status(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		if !st.UpToDate() || st.Current == 0 || st.Current != st.Latest {
			t.Fatalf("after migrate: %+v", st)
		}
		tables := db.WorkspaceTables()
		sort.Strings(tables)
		for _, want := range []string{"companies", "contacts", "deals", "events", "memberships"} {
			if i := sort.SearchStrings(tables, want); i == len(tables) || tables[i] != want {
				t.Errorf("workspace table %q not detected; got %v", want, tables)
			}
		}
	})
}

func TestScopeGuard(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		err := db.Read(ctx, func(tx *store.Tx) error {
			_, err := tx.Query(`SELECT id FROM contacts WHERE email = ?`, "a@example.com")
			return err
		})
		if err == nil || !strings.Contains(err.Error(), "workspace_id") {
			t.Fatalf("unscoped query on contacts was allowed: %v", err)
		}
		err = db.Write(ctx, func(tx *store.Tx) error {
			_, err := tx.Exec(`UPDATE deals SET title = ? WHERE id = ?`, "x", 1)
			return err
		})
		if err == nil {
			t.Fatal("unscoped update on deals was allowed")
		}
		// Scoped queries and instance tables pass.
		err = db.Read(ctx, func(tx *store.Tx) error {
			rows, err := tx.Query(`SELECT id FROM contacts WHERE workspace_id = ? AND email = ?`, 1, "a@example.com")
			if err != nil {
				return err
			}
			rows.Close()
			var n int
			return tx.QueryRow(`SELECT count(*) FROM users`).Scan(&n)
		})
		if err != nil {
			t.Fatal(err)
		}
		// The explicit escape hatch works.
		err = db.Read(ctx, func(tx *store.Tx) error {
			var n int
			return tx.Unscoped().QueryRow(`SELECT count(*) FROM events`).Scan(&n)
		})
		if err != nil {
			t.Fatal(err)
		}
	})
}

func TestWriteCommitsEventsAndRollsBack(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		ctx := crm.WithRequestID(context.Background(), "req-1")
		ws := db.NewID()
		company := db.NewID()
		insert := func(tx *store.Tx) error {
			if _, err := tx.Exec(`INSERT INTO companies (id, workspace_id, name, created_at, updated_at) VALUES (?, ?, ?, ?, ?)`,
				company, ws, "Acme", store.Micros(tx.Now), store.Micros(tx.Now)); err != nil {
				return err
			}
			return tx.Emit(crm.Event{WorkspaceID: ws, Actor: crm.System, ObjectType: "company", ObjectID: company,
				Action: crm.Created, Changes: map[string]crm.Change{"name": {After: "Acme"}}})
		}
		// A failing transaction leaves neither the row nor its event.
		boom := errors.New("boom")
		if err := db.Write(ctx, func(tx *store.Tx) error {
			if err := insert(tx); err != nil {
				return err
			}
			return boom
		}); !errors.Is(err, boom) {
			t.Fatalf("Write returned %v, want boom", err)
		}
		countEvents := func() int {
			var n int
			if err := db.Read(ctx, func(tx *store.Tx) error {
				return tx.QueryRow(`SELECT count(*) FROM events WHERE workspace_id = ?`, ws).Scan(&n)
			}); err != nil {
				t.Fatal(err)
			}
			return n
		}
		if n := countEvents(); n != 0 {
			t.Fatalf("rolled-back transaction left %d events", n)
		}
		if err := db.Write(ctx, insert); err != nil {
			t.Fatal(err)
		}
		var evs []crm.Event
		if err := db.Read(ctx, func(tx *store.Tx) (err error) {
			evs, err = tx.Events(ws, "company", company, 10)
			return err
		}); err != nil {
			t.Fatal(err)
		}
		if len(evs) != 1 || evs[0].Action != crm.Created || evs[0].RequestID != "req-1" || evs[0].Changes["name"].After != "Acme" {
			t.Fatalf("events = %+v", evs)
		}
		// A second insert of the same primary key is a conflict, by code.
		err := db.Write(ctx, insert)
		if crm.ErrorCode(err) != crm.Conflict {
			t.Fatalf("duplicate insert: code %q (%v), want conflict", crm.ErrorCode(err), err)
		}
	})
}

func TestTxNowIsFixed(t *testing.T) {
	at := time.Date(2026, 3, 4, 5, 6, 7, 123456789, time.UTC)
	db := testdb.NewSQLite(t, testdb.Options{Clock: func() time.Time { return at }})
	err := db.Write(context.Background(), func(tx *store.Tx) error {
		if !tx.Now.Equal(at.Truncate(time.Microsecond)) {
			t.Errorf("tx.Now = %v", tx.Now)
		}
		if got := store.FromMicros(store.Micros(tx.Now)); !got.Equal(tx.Now) {
			t.Errorf("micros round trip: %v != %v", got, tx.Now)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

func TestNodesAreLeasedUniquely(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		// testdb already claimed one; a second process on the same database
		// must get a different number.
		other, err := store.Open(context.Background(), store.Options{URL: db.URL()})
		if err != nil {
			t.Fatal(err)
		}
		defer other.Close()
		if err := other.ClaimNode(context.Background()); err != nil {
			t.Fatal(err)
		}
		if db.Node() == other.Node() || other.Node() < 0 {
			t.Fatalf("two processes hold node %d and %d", db.Node(), other.Node())
		}
	})
}

// TestLostNodeLeaseIsReplaced: when a renewal finds that its number was
// taken by another process (its lease ran out behind a long transaction),
// the process leases another number instead of going on with a shared one.
func TestLostNodeLeaseIsReplaced(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		lost := db.Node()
		if err := db.Write(ctx, func(tx *store.Tx) error {
			_, err := tx.Unscoped().Exec(`UPDATE nodes SET holder = 'another process' WHERE id = ?`, lost)
			return err
		}); err != nil {
			t.Fatal(err)
		}
		db.RenewNodeNow()
		now := db.Node()
		if now == lost || now < 0 {
			t.Fatalf("after losing node %d the process holds %d", lost, now)
		}
		var holder string
		if err := db.Read(ctx, func(tx *store.Tx) error {
			return tx.Unscoped().QueryRow(`SELECT holder FROM nodes WHERE id = ?`, lost).Scan(&holder)
		}); err != nil {
			t.Fatal(err)
		}
		if holder != "another process" {
			t.Fatalf("node %d now held by %q; the other process must keep it", lost, holder)
		}
		id := db.NewID()
		if got := int(id>>12) & ids.MaxNode; got != now { // 12 sequence bits below the node

			t.Fatalf("new ids carry node %d, want %d", got, now)
		}
		db.RenewNodeNow() // an ordinary renewal keeps the new number
		if db.Node() != now {
			t.Fatalf("renewal moved the node from %d to %d", now, db.Node())
		}
	})
}

// TestCommitAfterTheCallerLeft: when the caller's context ends during a
// transaction (a client that went away), the error says so, so that the
// web layer answers "client gone" instead of logging a server error.
func TestCommitAfterTheCallerLeft(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		ctx, cancel := context.WithCancel(context.Background())
		err := db.Read(ctx, func(tx *store.Tx) error {
			var one int
			if err := tx.QueryRow(`SELECT 1`).Scan(&one); err != nil {
				return err
			}
			cancel()
			// Give database/sql time to roll back on its own goroutine, the
			// case whose error ("already rolled back") hid the cause. The
			// test passes either way with the fix; without it, it fails.
			time.Sleep(50 * time.Millisecond)
			return nil
		})
		if !errors.Is(err, context.Canceled) {
			t.Fatalf("err = %v, want context.Canceled", err)
		}
	})
}

// TestIDs: a one-column query's ids in its order; none is an empty list.
func TestIDs(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		err := db.Read(context.Background(), func(tx *store.Tx) error {
			u := tx.Unscoped()
			ids, err := u.IDs(`SELECT 3 UNION ALL SELECT 1 UNION ALL SELECT 2`)
			if err != nil {
				return err
			}
			if len(ids) != 3 || ids[0] != 3 || ids[1] != 1 || ids[2] != 2 {
				t.Errorf("ids %v, want [3 1 2]", ids)
			}
			if ids, err = u.IDs(`SELECT id FROM workspaces WHERE id = ?`, -1); err != nil || len(ids) != 0 {
				t.Errorf("no rows: %v, %v", ids, err)
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		err = db.Read(context.Background(), func(tx *store.Tx) error {
			_, err := tx.Unscoped().IDs(`SELECT nope FROM workspaces`)
			return err
		})
		if err == nil {
			t.Error("a bad query gave no error")
		}
	})
}
