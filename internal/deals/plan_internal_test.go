package deals

import (
	"context"
	"strings"
	"testing"

	"github.com/tandemcrm/tandem/internal/crm"
	"github.com/tandemcrm/tandem/internal/records"
	"github.com/tandemcrm/tandem/internal/store"
	"github.com/tandemcrm/tandem/internal/store/testdb"
)

// TestColumnPagesWalkAnIndex: a board column of thousands of open deals,
// in the board's own order or in any order a deal view may give it, reads its first and later pages by walking an index in order and
// stopping at the page — no sort of the whole stage. SQLite's plan, with
// fresh statistics; PostgreSQL's planner decides by its own and is not
// pinned here.
func TestColumnPagesWalkAnIndex(t *testing.T) {
	db := testdb.NewSQLite(t, testdb.Options{})
	err := db.Write(context.Background(), func(tx *store.Tx) error {
		for i := range 6000 {
			status := []string{"open", "open", "won", "lost"}[i%4]
			if _, err := tx.Exec(`INSERT INTO deals (id, workspace_id, title, value, pipeline_id, stage_id, status, expected_close,
				stage_entered_at, created_at, updated_at) VALUES (?, 1, 'D', ?, 1, ?, ?, ?, ?, ?, ?)`,
				i+1, (i*7919)%100000, 1+i%5, status, []string{"", "2026-12-01", "2027-01-15"}[i%3], i, i, i); err != nil {
				return err
			}
		}
		_, err := tx.Exec(`ANALYZE`)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	p := crm.Principal{WorkspaceID: 1, UserID: 1, Role: crm.RoleAdmin}
	err = db.Read(context.Background(), func(tx *store.Tx) error {
		for sort, index := range map[string]string{BoardSort: "deals_stage_column", "-value": "deals_board_value", "value": "deals_board_value",
			"expected_close": "deals_board_close_first", "-expected_close": "deals_board_close", "title": "deals_board_title",
			"created_at": "deals_board_created", "-updated_at": "deals_board_updated", "stage_entered_at": "deals_stage_column"} {
			keys, spec, _ := records.ParseSort(sort, boardSorts, BoardSort)
			vals := make([]any, len(keys))
			for i, k := range keys {
				vals[i] = sortValue(Deal{Title: "D", ExpectedClose: ""}, k.Name())
			}
			for _, cur := range []string{"", records.EncodeCursor(spec, vals, 100)} {
				base, args, err := records.Where(tx, "d", 1, nil, "", p)
				if err != nil {
					return err
				}
				q, qargs, err := columnSQL(base, args, ColumnQuery{Stage: 2, Sort: sort, Cursor: cur, Limit: 30})
				if err != nil {
					return err
				}
				plan := testdb.Plan(t, tx, q, qargs...)
				if !strings.Contains(plan, "SEARCH d USING INDEX "+index+" ") || strings.Contains(plan, "TEMP B-TREE") {
					t.Errorf("%s (cursor %v) sorts the stage:\n%s", sort, cur != "", plan)
				}
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}
