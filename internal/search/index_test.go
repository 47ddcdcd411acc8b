package search_test

import (
	"context"
	"slices"
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
			if err := db.Write(ctx, func(tx *store.Tx) error {
				if err := fn(tx); err != nil {
					return err
				}
				return search.CheckTerms(tx)
			}); err != nil {
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

// TestWordsNotJustTrigrams: SQLite's trigram index knows which documents
// hold a trigram, not where, so a document holding every trigram of a word
// apart ("gma", "mai", "ail" in "gmaxx@maiy.example ailz") is a candidate
// that must not be found; a word with its accents or case changed is; and the typo pass
// looks at names only, however many trigrams the rest of a document holds.
func TestWordsNotJustTrigrams(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		ws := db.NewID()
		docs := []struct {
			title, body string
		}{
			{"Gmaier Mail", "gm@example.com"},
			{"Anna Müller", "anna@gmail.com"},
			{"Bob Smith", "jonas.b@example.com"},
			{"Jon Doe", "jd@example.com"},
			{"Zed Quux", "gmaxx@maiy.example ailz"}, // every trigram of "gmail", apart
		}
		ids := map[string]crm.ID{}
		if err := db.Write(ctx, func(tx *store.Tx) error {
			for _, d := range docs {
				ids[d.title] = db.NewID()
				if err := search.Index(tx, ws, "contact", ids[d.title], d.title, d.body); err != nil {
					return err
				}
			}
			return search.CheckTerms(tx)
		}); err != nil {
			t.Fatal(err)
		}
		// Exact hits come before typo hits ("Gmaier" is a fair typo for
		// "gmail"): first is the best hit, never a document that must not
		// be found at all.
		for _, c := range []struct{ q, first, never string }{
			{"gmail", "Anna Müller", "Zed Quux"},
			{"GMAIL müller", "Anna Müller", "Zed Quux"},
			{"muller", "Anna Müller", ""},
			{"MÜLLER anna", "Anna Müller", "Gmaier Mail"},
			{"mail gm@", "Gmaier Mail", "Anna Müller"},
			{"Jonh", "Jon Doe", "Bob Smith"}, // "jon" is in Bob's email, not his name
			{"jonas", "Bob Smith", ""},
		} {
			var hits []search.Hit
			if err := db.Read(ctx, func(tx *store.Tx) (err error) { hits, err = search.Search(tx, ws, c.q, 10, search.Scope{}); return err }); err != nil {
				t.Fatal(err)
			}
			if len(hits) == 0 || hits[0].Title != c.first {
				t.Errorf("search %q: %+v, want %q first", c.q, hits, c.first)
			}
			for _, h := range hits {
				if h.Title == c.never {
					t.Errorf("search %q found %q", c.q, c.never)
				}
			}
		}
	})
}

// TestScopeTypoNewest: with TypoNewest, SQLite's typo pass considers only
// the newest similar documents — an old company behind newer contacts with
// a similar name is not reached by a typo (the bound on the work), one
// among them is — while the exact pass still finds every document holding
// the words; without it both are found; PostgreSQL ignores it.
func TestScopeTypoNewest(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		ws := db.NewID()
		old, recent := db.NewID(), crm.ID(0)
		err := db.Write(ctx, func(tx *store.Tx) error {
			if err := search.Index(tx, ws, "company", old, "Hoffman Group", ""); err != nil {
				return err
			}
			for i := range 8 {
				id := db.NewID()
				if i == 6 {
					recent = id
					if err := search.Index(tx, ws, "company", id, "Hoffman Holdings", ""); err != nil {
						return err
					}
					continue
				}
				if err := search.Index(tx, ws, "contact", id, "Lea Hoffman", ""); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		companies := func(q string, newest int) []crm.ID {
			t.Helper()
			var hits []search.Hit
			err := db.Read(ctx, func(tx *store.Tx) (err error) {
				hits, err = search.Search(tx, ws, q, 10, search.Scope{Clause: "search_index.object_type = 'company'", TypoNewest: newest})
				return err
			})
			if err != nil {
				t.Fatal(err)
			}
			return slices.Sorted(slices.Values(func() []crm.ID {
				var ids []crm.ID
				for _, h := range hits {
					ids = append(ids, h.ObjectID)
				}
				return ids
			}()))
		}
		both := slices.Sorted(slices.Values([]crm.ID{old, recent}))
		typo := []crm.ID{recent}
		if db.Dialect() == store.Postgres {
			typo = both
		}
		for _, c := range []struct {
			q      string
			newest int
			want   []crm.ID
		}{
			{"hoffman", 4, both}, // the exact pass
			{"hofman", 4, typo},  // the typo pass
			{"hofman", 0, both},
		} {
			if got := companies(c.q, c.newest); !slices.Equal(got, c.want) {
				t.Errorf("%q, newest %d: %v, want %v", c.q, c.newest, got, c.want)
			}
		}
	})
}
