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

// TestSlowCountsAreRemembered: a total that is a lower bound (here: the
// count reached its cap) is kept for half a minute for the same list,
// asker and filter, and served as a lower bound; then the list is counted
// again. Another filter or another member counts for itself.
func TestSlowCountsAreRemembered(t *testing.T) {
	now := time.Date(2026, 11, 30, 12, 0, 0, 0, time.UTC)
	db := testdb.NewSQLite(t, testdb.Options{Clock: func() time.Time { return now }})
	ctx := context.Background()
	p := owner(t, db, crm.RoleAdmin)
	var ids []crm.ID
	if err := db.Write(ctx, func(tx *store.Tx) error {
		for i := range 1100 {
			c, err := records.CreateContact(tx, p, records.NewContact{FirstName: fmt.Sprint("P", i), LastName: "Doe"})
			if err != nil {
				return err
			}
			ids = append(ids, c.ID)
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	total := func(p crm.Principal, filter string) (int, bool) {
		t.Helper()
		var page records.Page[records.Contact]
		if err := db.Read(ctx, func(tx *store.Tx) (err error) {
			page, err = records.QueryContacts(tx, p, records.ListQuery{Filter: filter, Limit: 50})
			return err
		}); err != nil {
			t.Fatal(err)
		}
		return page.Total, page.TotalExact
	}
	if n, exact := total(p, `last_name = "Doe"`); n != 1000 || exact {
		t.Fatalf("first count: %d exact %v, want the cap 1000, not exact", n, exact)
	}
	if err := db.Write(ctx, func(tx *store.Tx) error {
		for _, id := range ids[:200] {
			if err := records.DeleteContact(tx, p, id); err != nil {
				return err
			}
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	now = now.Add(29 * time.Second)
	if n, exact := total(p, `last_name = "Doe"`); n != 1000 || exact {
		t.Fatalf("within the half minute: %d exact %v, want the remembered lower bound", n, exact)
	}
	if n, exact := total(p, `last_name ~ "Doe"`); n != 900 || !exact {
		t.Fatalf("another filter: %d exact %v, want 900 exact", n, exact)
	}
	now = now.Add(2 * time.Second)
	if n, exact := total(p, `last_name = "Doe"`); n != 900 || !exact {
		t.Fatalf("after the half minute: %d exact %v, want 900 exact", n, exact)
	}
}
