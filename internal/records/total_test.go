package records_test

import (
	"context"
	"testing"

	"github.com/tandemcrm/tandem/internal/crm"
	"github.com/tandemcrm/tandem/internal/records"
	"github.com/tandemcrm/tandem/internal/store"
	"github.com/tandemcrm/tandem/internal/store/testdb"
)

// TestListTotals: a first page shows how many match — exact when it holds
// them all (no counting needed), counted when there are more, and capped at
// 1,000 ("1,000+") so a list of a million costs what one of a thousand does.
func TestListTotals(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		p := owner(t, db, crm.RoleAdmin)
		if err := db.Write(ctx, func(tx *store.Tx) error {
			for i := range 1005 {
				last := "Bulk"
				if i < 3 {
					last = "Rare"
				}
				if _, err := tx.Exec(`INSERT INTO contacts (id, workspace_id, first_name, last_name, email, created_at, updated_at)
					VALUES (?, ?, 'P', ?, '', ?, ?)`, tx.NewID(), p.WorkspaceID, last, i, i); err != nil {
					return err
				}
			}
			return nil
		}); err != nil {
			t.Fatal(err)
		}
		query := func(q records.ListQuery) records.Page[records.Contact] {
			t.Helper()
			var page records.Page[records.Contact]
			if err := db.Read(ctx, func(tx *store.Tx) (err error) { page, err = records.QueryContacts(tx, p, q); return err }); err != nil {
				t.Fatal(err)
			}
			return page
		}
		for _, c := range []struct {
			q     records.ListQuery
			total int
			exact bool
		}{
			{records.ListQuery{Filter: `last_name = "Rare"`, Limit: 10}, 3, true}, // all on the page
			{records.ListQuery{Filter: `last_name = "Rare"`, Limit: 2}, 3, true},  // more than the page: counted
			{records.ListQuery{Limit: 50}, 1000, false},                           // capped
		} {
			page := query(c.q)
			if page.Total != c.total || page.TotalExact != c.exact {
				t.Errorf("%+v: total %d exact %v, want %d %v", c.q, page.Total, page.TotalExact, c.total, c.exact)
			}
		}
	})
}
