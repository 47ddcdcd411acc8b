package testdb

import (
	"strings"
	"testing"

	"github.com/tandemcrm/tandem/internal/store"
)

// Plan is SQLite's EXPLAIN QUERY PLAN of q: the detail of each step, one
// per line, for tests that pin a statement to its indexes.
func Plan(t testing.TB, tx *store.Tx, q string, args ...any) string {
	t.Helper()
	rows, err := tx.Query(`EXPLAIN QUERY PLAN `+q, args...)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var id, parent, unused int
		var detail string
		if err := rows.Scan(&id, &parent, &unused, &detail); err != nil {
			t.Fatal(err)
		}
		out = append(out, detail)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return strings.Join(out, "\n")
}
