package audit_test

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"

	"github.com/tandemcrm/tandem/internal/audit"
	"github.com/tandemcrm/tandem/internal/crm"
	"github.com/tandemcrm/tandem/internal/store"
	"github.com/tandemcrm/tandem/internal/store/testdb"
)

func TestMain(m *testing.M) { testdb.Main(m) }

// seed records n entries in ws, one transaction each, and returns their ids.
func seed(t *testing.T, db *store.DB, ws crm.ID, n int) []crm.ID {
	t.Helper()
	var ids []crm.ID
	for i := range n {
		err := db.Write(context.Background(), func(tx *store.Tx) error {
			id, err := audit.Record(tx, audit.Entry{
				WorkspaceID: ws, Actor: crm.UserActor(7), Action: audit.SignInSucceeded,
				ObjectType: "user", ObjectID: 7, IP: "203.0.113.77:5000", UserAgent: "test/1.0",
				Details: map[string]any{"n": i, "email": "ann@example.com"},
			})
			ids = append(ids, id)
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	return ids
}

func verify(t *testing.T, db *store.DB, ws crm.ID) (int, crm.ID, error) {
	t.Helper()
	var n int
	var bad crm.ID
	var verr error
	if err := db.Read(context.Background(), func(tx *store.Tx) error {
		n, bad, verr = audit.Verify(tx, ws)
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	return n, bad, verr
}

func exec(t *testing.T, db *store.DB, q string, args ...any) {
	t.Helper()
	if err := db.Write(context.Background(), func(tx *store.Tx) error {
		_, err := tx.Exec(q, args...)
		return err
	}); err != nil {
		t.Fatal(err)
	}
}

func TestChainVerifies(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		ws1, ws2 := db.NewID(), db.NewID()
		seed(t, db, ws1, 5)
		seed(t, db, ws2, 3)
		seed(t, db, 0, 2) // instance-level chain
		// Several entries in one transaction share a time but not a seq.
		if err := db.Write(context.Background(), func(tx *store.Tx) error {
			for range 3 {
				if _, err := audit.Record(tx, audit.Entry{WorkspaceID: ws2, Action: audit.DataExported}); err != nil {
					return err
				}
			}
			return nil
		}); err != nil {
			t.Fatal(err)
		}
		if err := db.Read(context.Background(), func(tx *store.Tx) error {
			chains, err := audit.Chains(tx)
			if len(chains) != 3 || chains[0] != 0 {
				t.Errorf("Chains = %v, %v; want 0 and the two workspaces", chains, err)
			}
			return err
		}); err != nil {
			t.Fatal(err)
		}
		for ws, want := range map[crm.ID]int{ws1: 5, ws2: 6, 0: 2, db.NewID(): 0} {
			n, bad, err := verify(t, db, ws)
			if err != nil || bad != 0 || n != want {
				t.Errorf("Verify(%d) = %d, %d, %v; want %d, 0, nil", ws, n, bad, err, want)
			}
		}
	})
}

func TestTamperingIsFound(t *testing.T) {
	cases := []struct {
		name string
		q    string // $ID is entry 2 (of 0..4); args: ws, id
		bad  int    // index of the entry Verify must name
	}{
		{"action changed", `UPDATE audit_log SET action = 'x' WHERE workspace_id = ? AND id = ?`, 2},
		{"time changed", `UPDATE audit_log SET at = at + 1 WHERE workspace_id = ? AND id = ?`, 2},
		{"actor changed", `UPDATE audit_log SET actor_id = 8 WHERE workspace_id = ? AND id = ?`, 2},
		{"ip changed", `UPDATE audit_log SET ip = '198.51.100.0' WHERE workspace_id = ? AND id = ?`, 2},
		{"details changed", `UPDATE audit_log SET details = '{"n":9}' WHERE workspace_id = ? AND id = ?`, 2},
		{"hash replaced", `UPDATE audit_log SET hash = prev_hash WHERE workspace_id = ? AND id = ?`, 2},
		{"middle row deleted", `DELETE FROM audit_log WHERE workspace_id = ? AND id = ?`, 3},
		{"forged erasure", `UPDATE audit_log SET pd_salt = '', ip = '198.51.100.0' WHERE workspace_id = ? AND id = ?`, 2},
		{"newest rows deleted", `DELETE FROM audit_log WHERE workspace_id = ? AND id >= ?`, 4},
	}
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		for _, c := range cases {
			t.Run(c.name, func(t *testing.T) {
				ws := db.NewID()
				ids := seed(t, db, ws, 5)
				exec(t, db, c.q, ws, ids[2])
				_, bad, err := verify(t, db, ws)
				var be *audit.BreakError
				if !errors.Is(err, audit.ErrBroken) || !errors.As(err, &be) {
					t.Fatalf("Verify error = %v, want a BreakError", err)
				}
				if bad != ids[c.bad] || be.ID != bad {
					t.Fatalf("first bad = %d (%v), want entry %d = %d", bad, err, c.bad, ids[c.bad])
				}
			})
		}
	})
}

func TestEraseKeepsChainValid(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		ws := db.NewID()
		ids := seed(t, db, ws, 4)
		if err := db.Write(ctx, func(tx *store.Tx) error {
			n, err := audit.ErasePersonal(tx, ws, ids[1], ids[2])
			if n != 2 {
				return fmt.Errorf("erased %d, want 2 (%v)", n, err)
			}
			// The same ids in another workspace are not touched.
			if n, err := audit.ErasePersonal(tx, db.NewID(), ids[3]); n != 0 || err != nil {
				return fmt.Errorf("erase in other workspace: %d %v", n, err)
			}
			return err
		}); err != nil {
			t.Fatal(err)
		}
		if n, bad, err := verify(t, db, ws); err != nil || bad != 0 || n != 4 {
			t.Fatalf("after erasure Verify = %d, %d, %v", n, bad, err)
		}
		err := db.Read(ctx, func(tx *store.Tx) error {
			got, _, err := audit.List(tx, ws, audit.Filter{}, 10, 0)
			if err != nil {
				return err
			}
			for _, e := range got {
				erased := e.ID == ids[1] || e.ID == ids[2]
				if e.Erased != erased || (erased && (e.IP != "" || e.UserAgent != "" || e.Details["email"] != nil)) {
					return fmt.Errorf("entry %d: erased=%v ip=%q details=%v", e.ID, e.Erased, e.IP, e.Details)
				}
				if !erased && e.IP != "203.0.113.0" {
					return fmt.Errorf("entry %d ip %q, want truncated 203.0.113.0", e.ID, e.IP)
				}
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	})
}

func TestConcurrentWritersKeepOneChain(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		const writers, each = 8, 50
		ws := db.NewID()
		var wg sync.WaitGroup
		errs := make(chan error, writers)
		for g := range writers {
			wg.Go(func() {
				for i := range each {
					err := db.Write(context.Background(), func(tx *store.Tx) error {
						_, err := audit.Record(tx, audit.Entry{WorkspaceID: ws, Action: audit.RecordViewed,
							Details: map[string]any{"g": g, "i": i}})
						return err
					})
					if err != nil {
						errs <- err
						return
					}
				}
			})
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			t.Fatal(err)
		}
		if n, bad, err := verify(t, db, ws); err != nil || bad != 0 || n != writers*each {
			t.Fatalf("Verify = %d, %d, %v; want %d valid entries", n, bad, err, writers*each)
		}
	})
}
