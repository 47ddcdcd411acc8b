package activities

import (
	"context"
	"strings"
	"testing"

	"github.com/tandemcrm/tandem/internal/store"
	"github.com/tandemcrm/tandem/internal/store/testdb"
)

// TestMyDayUsesItsIndex: the "my day" query walks an index over (owner,
// due time) in order — activities_owner_due or activities_open_due — and
// never sorts (SQLite's plan; PostgreSQL's planner decides by statistics,
// so it is not pinned here).
func TestMyDayUsesItsIndex(t *testing.T) {
	db := testdb.New(t)
	var plan []string
	err := db.Read(context.Background(), func(tx *store.Tx) error {
		q := `EXPLAIN QUERY PLAN SELECT ` + cols + joins + ` WHERE a.workspace_id = ? AND a.owner_id = ? AND a.done_at IS NULL AND a.deleted_at IS NULL
			AND a.due_at < ? AND ((a.all_day = ? AND a.due_at < ?) OR (a.all_day = ? AND a.due_at < ?)) ORDER BY a.due_at, a.id LIMIT ?`
		rows, err := tx.Query(q, 1, 1, 1, false, 1, true, 1, 51)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var id, parent, unused int
			var detail string
			if err := rows.Scan(&id, &parent, &unused, &detail); err != nil {
				return err
			}
			plan = append(plan, detail)
		}
		return rows.Err()
	})
	if err != nil {
		t.Fatal(err)
	}
	all := strings.Join(plan, "\n")
	if !strings.Contains(all, "SEARCH a USING INDEX activities_o") || !strings.Contains(all, "due_at<?") || strings.Contains(all, "TEMP B-TREE") {
		t.Fatalf("plan:\n%s", all)
	}
}
