package records_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/tandemcrm/tandem/internal/crm"
	"github.com/tandemcrm/tandem/internal/records"
	"github.com/tandemcrm/tandem/internal/store"
	"github.com/tandemcrm/tandem/internal/store/testdb"
)

// TestTotalWhenCountingRunsOutOfTime: a first page whose count cannot
// finish within the budget shows a lower bound, the page and the row that
// proved there is more, and says it is not exact; with time, it is exact.
func TestTotalWhenCountingRunsOutOfTime(t *testing.T) {
	for _, c := range []struct {
		name   string
		budget time.Duration
		total  int
		exact  bool
	}{
		{"in time", time.Minute, 60, true},
		{"out of time", time.Nanosecond, 51, false},
	} {
		t.Run(c.name, func(t *testing.T) {
			db := testdb.NewSQLite(t, testdb.Options{CountBudget: c.budget})
			ctx := context.Background()
			p := owner(t, db, crm.RoleAdmin)
			if err := db.Write(ctx, func(tx *store.Tx) error {
				for i := range 60 {
					if _, err := records.CreateContact(tx, p, records.NewContact{FirstName: fmt.Sprint("P", i), LastName: "Doe"}); err != nil {
						return err
					}
				}
				return nil
			}); err != nil {
				t.Fatal(err)
			}
			var page records.Page[records.Contact]
			if err := db.Read(ctx, func(tx *store.Tx) (err error) {
				page, err = records.QueryContacts(tx, p, records.ListQuery{Filter: `last_name = "Doe"`, Limit: 50})
				return err
			}); err != nil {
				t.Fatal(err)
			}
			if len(page.Items) != 50 || page.Next == "" {
				t.Fatalf("page: %d items, next %q", len(page.Items), page.Next)
			}
			if page.Total != c.total || page.TotalExact != c.exact {
				t.Fatalf("total %d (exact %v), want %d (exact %v)", page.Total, page.TotalExact, c.total, c.exact)
			}
		})
	}
}
