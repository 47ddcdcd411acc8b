package records

import (
	"context"
	"strings"
	"testing"

	"github.com/tandemcrm/tandem/internal/store"
	"github.com/tandemcrm/tandem/internal/store/testdb"
)

// TestDealEventsPlanStartsFromTheDeals: a record's deal timeline is read
// from the record's deals to their events (SQLite's plan), never by
// walking the workspace's events in order — with statistics that make the
// walk look cheap, as a workspace whose deals mostly have no company gave.
func TestDealEventsPlanStartsFromTheDeals(t *testing.T) {
	db := testdb.New(t)
	for name, cond := range map[string]string{
		"company": `x.company_id = ?`,
		"contact": `(x.contact_id = ? OR x.id IN (SELECT dc.deal_id FROM deal_contacts dc WHERE dc.workspace_id = ? AND dc.contact_id = ?))`,
	} {
		var plan string
		err := db.Write(context.Background(), func(tx *store.Tx) error {
			u := tx.Unscoped()
			for _, q := range []string{
				`ANALYZE`,
				`DELETE FROM sqlite_stat1 WHERE tbl IN ('deals', 'events')`,
				`INSERT INTO sqlite_stat1 (tbl, idx, stat) VALUES ('deals', 'deals_company', '200000 1001 1001'),
					('deals', 'deals_contact', '200000 1001 2'), ('events', 'events_workspace', '13132 1001 1'),
					('events', 'events_object', '13132 1001 501 1 1')`,
				`ANALYZE sqlite_schema`, // loads the statistics above into the planner
			} {
				if _, err := u.Exec(q); err != nil {
					return err
				}
			}
			plan = testdb.Plan(t, tx, dealEventsSQL(cond, activityScopeSQL(store.SQLite, "a.owner_id = ?")), 1, 1, 2, 1, 2, 3, 50)
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		if strings.Contains(plan, "events_workspace") || !strings.Contains(plan, "events_object (workspace_id=? AND object_type=? AND object_id=?)") ||
			!strings.Contains(plan, "SEARCH a USING INTEGER PRIMARY KEY (rowid=?)") {
			t.Errorf("%s: %s", name, plan)
		}
	}
}

// TestRecordEventsPlan: a record's own events are read backwards on
// events_object, without a sort, each activity line checked by its
// activity's primary key.
func TestRecordEventsPlan(t *testing.T) {
	db := testdb.New(t)
	var plan string
	err := db.Read(context.Background(), func(tx *store.Tx) error {
		plan = testdb.Plan(t, tx, recordEventsSQL(activityScopeSQL(store.SQLite, "a.owner_id = ?")), 1, "contact", 2, 3, 200)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(plan, "SEARCH e USING INDEX events_object (workspace_id=? AND object_type=? AND object_id=?)") ||
		!strings.Contains(plan, "SEARCH a USING INTEGER PRIMARY KEY (rowid=?)") || strings.Contains(plan, "TEMP B-TREE") {
		t.Errorf("plan:\n%s", plan)
	}
}

// TestLineItemPlans: a deal's line items' events are read by item on
// events_object; its removed lines through events_removed_items, never by
// type (which walks every line event of the workspace).
func TestLineItemPlans(t *testing.T) {
	db := testdb.New(t)
	var removed, items string
	err := db.Write(context.Background(), func(tx *store.Tx) error {
		u := tx.Unscoped()
		for _, q := range []string{
			`ANALYZE`,
			`DELETE FROM sqlite_stat1 WHERE tbl = 'events'`,
			`INSERT INTO sqlite_stat1 (tbl, idx, stat) VALUES ('events', 'events_workspace', '2000000 1000000 1'),
				('events', 'events_object', '2000000 1000000 100 3 1')`,
			`ANALYZE sqlite_schema`,
		} {
			if _, err := u.Exec(q); err != nil {
				return err
			}
		}
		removed = testdb.Plan(t, tx, removedItemsSQL(tx.Dialect()), 1, "2", 1000)
		items = testdb.Plan(t, tx, `SELECT `+eventCols+` FROM events e WHERE e.workspace_id = ? AND e.object_type = ?
			AND e.object_id IN (?, ?) ORDER BY e.id DESC LIMIT ?`, 1, "deal_item", 2, 3, 50)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(removed, "events_removed_items") {
		t.Errorf("removed lines:\n%s", removed)
	}
	if !strings.Contains(items, "events_object (workspace_id=? AND object_type=? AND object_id=?)") {
		t.Errorf("items:\n%s", items)
	}
}
