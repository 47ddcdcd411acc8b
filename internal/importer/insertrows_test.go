package importer

import (
	"context"
	"fmt"
	"testing"

	"github.com/tandemcrm/tandem/internal/crm"
	"github.com/tandemcrm/tandem/internal/store"
	"github.com/tandemcrm/tandem/internal/store/testdb"
)

// TestInsertRows: every row is written once, whether it goes in a
// statement of insertRowsPer rows or in the single-row rest; a failing
// row fails the call.
func TestInsertRows(t *testing.T) {
	ctx := context.Background()
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		ws, imp := db.NewID(), crm.ID(1)
		for _, n := range []int{1, insertRowsPer - 1, insertRowsPer, 3*insertRowsPer + 5} {
			rows := make([][]any, n)
			for i := range rows {
				rows[i] = []any{db.NewID(), ws, imp, i + 1, "warning", "Email", fmt.Sprint("v", i), "m"}
			}
			var got, sum int
			err := db.Write(ctx, func(tx *store.Tx) error {
				if err := insertRows(tx, "import_issues", issueCols, rows); err != nil {
					return err
				}
				err := tx.QueryRow(`SELECT count(*), COALESCE(sum(line), 0) FROM import_issues WHERE workspace_id = ? AND import_id = ?`, ws, imp).Scan(&got, &sum)
				if err != nil {
					return err
				}
				_, err = tx.Exec(`DELETE FROM import_issues WHERE workspace_id = ? AND import_id = ?`, ws, imp)
				return err
			})
			if err != nil || got != n || sum != n*(n+1)/2 {
				t.Fatalf("%d rows: %d written, lines summing to %d (%v)", n, got, sum, err)
			}
		}
		// A row whose id is taken fails the insert, in a full statement
		// and in the rest.
		for _, at := range []int{3, 2*insertRowsPer + 1} {
			rows := make([][]any, 2*insertRowsPer+2)
			for i := range rows {
				rows[i] = []any{db.NewID(), ws, imp, i + 1, "warning", "", "", "m"}
			}
			rows[at][0] = rows[0][0]
			err := db.Write(ctx, func(tx *store.Tx) error { return insertRows(tx, "import_issues", issueCols, rows) })
			if err == nil {
				t.Fatalf("a duplicate id at %d was written", at)
			}
		}
	})
}
