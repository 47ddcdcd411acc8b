package search_test

import (
	"context"
	"testing"

	"github.com/tandemcrm/tandem/internal/crm"
	"github.com/tandemcrm/tandem/internal/search"
	"github.com/tandemcrm/tandem/internal/store"
	"github.com/tandemcrm/tandem/internal/store/testdb"
)

// TestIndexReplacesAndRemoves: re-indexing a record replaces its one
// document, removing it leaves none, and another workspace's document with
// the same words is never touched or found.
func TestIndexReplacesAndRemoves(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		ws, other := db.NewID(), db.NewID()
		id, theirs := db.NewID(), db.NewID()
		write := func(fn func(tx *store.Tx) error) {
			t.Helper()
			if err := db.Write(ctx, fn); err != nil {
				t.Fatal(err)
			}
		}
		find := func(w crm.ID, q string) []search.Hit {
			t.Helper()
			var hits []search.Hit
			if err := db.Read(ctx, func(tx *store.Tx) (err error) { hits, err = search.Search(tx, w, q, 10, search.Scope{}); return err }); err != nil {
				t.Fatal(err)
			}
			return hits
		}
		write(func(tx *store.Tx) error {
			return search.Index(tx, ws, "contact", id, "Ada Lovelace", "ada@engines.example")
		})
		write(func(tx *store.Tx) error { return search.Index(tx, other, "contact", theirs, "Ada Lovelace", "") })
		write(func(tx *store.Tx) error {
			return search.Index(tx, ws, "contact", id, "Ada King", "ada@engines.example")
		})
		if hits := find(ws, "lovelace"); len(hits) != 0 {
			t.Fatalf("old name still found: %+v", hits)
		}
		if hits := find(ws, "ada king"); len(hits) != 1 || hits[0].ObjectID != id || hits[0].Title != "Ada King" {
			t.Fatalf("new name: %+v", hits)
		}
		write(func(tx *store.Tx) error { return search.Remove(tx, ws, "contact", id) })
		if hits := find(ws, "ada"); len(hits) != 0 {
			t.Fatalf("removed document found: %+v", hits)
		}
		// Removing with the wrong workspace touches nothing.
		write(func(tx *store.Tx) error { return search.Remove(tx, ws, "contact", theirs) })
		if hits := find(other, "lovelace"); len(hits) != 1 || hits[0].ObjectID != theirs {
			t.Fatalf("the other workspace's document: %+v", hits)
		}
	})
}
