package search

import (
	"context"
	"testing"

	"github.com/tandemcrm/tandem/internal/store"
	"github.com/tandemcrm/tandem/internal/store/testdb"
)

func TestMain(m *testing.M) { testdb.Main(m) }

// fillDocs writes the documents sel selects (workspace_id, object_type,
// object_id, title, body) and refreshes the planner's statistics.
func fillDocs(t *testing.T, db *store.DB, sel string) {
	t.Helper()
	err := db.Write(context.Background(), func(tx *store.Tx) error {
		if _, err := tx.Exec(`INSERT INTO search_index (workspace_id, object_type, object_id, title, body) ` + sel); err != nil {
			return err
		}
		_, err := tx.Exec(`ANALYZE search_index`)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
}

// TestPostgresUsesTrigramIndexes guards the plan: the substring pass and the
// typo pass must read the (workspace_id, lower(text)) trigram indexes, not
// scan the workspace's documents (which the planner chose with the indexes
// of migration 00016, costing 50x at size S).
func TestPostgresUsesTrigramIndexes(t *testing.T) {
	db := testdb.Postgres(t)
	ctx := context.Background()
	// Size S: 11,000 documents in one workspace, and a few in another.
	fillDocs(t, db, `SELECT CASE WHEN g <= 11000 THEN 1 ELSE 2 END, 'contact', g,
		(ARRAY['Ada','Grace','Alan','Edsger','Barbara','Donald','Frances','John','Margaret','Ken'])[1 + g % 10] || ' ' ||
		(ARRAY['Lovelace','Hopper','Turing','Dijkstra','Liskov','Knuth','Allen','Backus','Hamilton','Thompson'])[1 + (g / 10) % 10] || g,
		'p' || g || '@example.com ' || (4420790000 + g)
		FROM generate_series(1, 12000) g`)
	scans := func(q string) (title, body int64, hits int) {
		err := db.Read(ctx, func(tx *store.Tx) error {
			hs, err := Search(tx, 1, q, 20, Scope{})
			if err != nil {
				return err
			}
			hits = len(hs)
			// The plan settings the search needed are the transaction's
			// own again after it.
			for _, setting := range []string{"enable_seqscan", "enable_indexscan"} {
				var v string
				if err := tx.QueryRow(`SELECT current_setting('` + setting + `')`).Scan(&v); err != nil || v != "on" {
					t.Errorf("after searching %q: %s = %q (%v)", q, setting, v, err)
				}
			}
			// Counters of this transaction only.
			return tx.QueryRow(`SELECT pg_stat_get_xact_numscans('search_index_ws_title'::regclass),
				pg_stat_get_xact_numscans('search_index_ws_body'::regclass)`).Scan(&title, &body)
		})
		if err != nil {
			t.Fatal(err)
		}
		return title, body, hits
	}
	if title, body, hits := scans("thompson29"); title == 0 || body == 0 || hits == 0 {
		t.Errorf("substring pass: %d title and %d body index scans, %d hits", title, body, hits)
	}
	// No substring matches: the typo pass runs too, on the title index.
	if title, _, hits := scans("Dijsktra"); title < 2 || hits == 0 {
		t.Errorf("typo pass: %d title index scans, %d hits", title, hits)
	}
}

// TestPostgresNarrowingCountUsesTrigramIndexes: the count that decides
// whether a contains filter is narrowed reads the trigram indexes too.
func TestPostgresNarrowingCountUsesTrigramIndexes(t *testing.T) {
	db := testdb.Postgres(t)
	ctx := context.Background()
	fillDocs(t, db, `SELECT 1, 'contact', g, 'Name ' || g, 'p' || g || CASE WHEN g % 100 = 0 THEN '@gmail.com' ELSE '@example.com' END
		FROM generate_series(1, 20000) g`)
	err := db.Read(ctx, func(tx *store.Tx) error {
		// A rare text and a common one: under the count's LIMIT the
		// planner would scan the documents for the common one.
		for text, want := range map[string]int{"GMAIL": 200, "example": 10_001} {
			var before, after int64
			scans := `SELECT pg_stat_get_xact_numscans('search_index_ws_body'::regclass)`
			if err := tx.QueryRow(scans).Scan(&before); err != nil {
				return err
			}
			n, err := MatchCount(tx, 1, text, 10_001)
			if err != nil {
				return err
			}
			if err := tx.QueryRow(scans).Scan(&after); err != nil {
				return err
			}
			if n != want || after == before {
				t.Errorf("%s: match count %d (want %d), %d body index scans", text, n, want, after-before)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}
