package store_test

import (
	"context"
	"errors"
	"testing"

	"github.com/tandemcrm/tandem/internal/crm"
	"github.com/tandemcrm/tandem/internal/store"
	"github.com/tandemcrm/tandem/internal/store/testdb"
)

// Emit hooks see every event in its transaction; BeforeCommit callbacks run
// last, in that transaction, also when registered through an Unscoped view;
// an error from either rolls the whole transaction back.
func TestEmitHooksAndBeforeCommit(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		ws := db.NewID()
		var seen []string
		db.OnEmit("test", func(tx *store.Tx, ev crm.Event) error {
			seen = append(seen, ev.ObjectType)
			if ev.ObjectType == "bad" {
				return errors.New("refused")
			}
			n, _ := tx.Local("n").(int)
			tx.SetLocal("n", n+1)
			if n == 0 {
				tx.Unscoped().BeforeCommit(func(tx *store.Tx) error {
					// Written last, counting every event of the transaction.
					return tx.Emit(crm.Event{WorkspaceID: ws, ObjectType: "summary", ObjectID: crm.ID(tx.Local("n").(int)), Action: crm.Created})
				})
			}
			return nil
		})
		err := db.Write(ctx, func(tx *store.Tx) error {
			for range 3 {
				if err := tx.Emit(crm.Event{WorkspaceID: ws, ObjectType: "thing", ObjectID: 1, Action: crm.Updated}); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		var summary crm.ID
		if err := db.Read(ctx, func(tx *store.Tx) error {
			return tx.QueryRow(`SELECT object_id FROM events WHERE workspace_id = ? AND object_type = 'summary'`, ws).Scan(&summary)
		}); err != nil || summary != 3 {
			// the three things, counted before the summary was written
			t.Fatalf("summary = %d, %v; want 3", summary, err)
		}
		err = db.Write(ctx, func(tx *store.Tx) error {
			if err := tx.Emit(crm.Event{WorkspaceID: ws, ObjectType: "thing", ObjectID: 2, Action: crm.Created}); err != nil {
				return err
			}
			return tx.Emit(crm.Event{WorkspaceID: ws, ObjectType: "bad", ObjectID: 3, Action: crm.Created})
		})
		if err == nil {
			t.Fatal("a failing hook did not fail the emit")
		}
		var n int
		if err := db.Read(ctx, func(tx *store.Tx) error {
			return tx.QueryRow(`SELECT COUNT(*) FROM events WHERE workspace_id = ? AND object_id = 2`, ws).Scan(&n)
		}); err != nil || n != 0 {
			t.Fatalf("rolled-back events left: %d, %v", n, err)
		}
		if len(seen) != 6 { // 3 things and the summary, then thing and bad
			t.Errorf("hook saw %v", seen)
		}
	})
}
