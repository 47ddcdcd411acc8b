package records_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/tandemcrm/tandem/internal/account"
	"github.com/tandemcrm/tandem/internal/activities"
	"github.com/tandemcrm/tandem/internal/crm"
	"github.com/tandemcrm/tandem/internal/deals"
	"github.com/tandemcrm/tandem/internal/products"
	"github.com/tandemcrm/tandem/internal/records"
	"github.com/tandemcrm/tandem/internal/store"
	"github.com/tandemcrm/tandem/internal/store/testdb"
)

// crew is a workspace with an admin and two members, Ann and Bob, where
// members see only the records they own.
type crew struct {
	db              *store.DB
	admin, ann, bob crm.Principal
}

func newCrew(t *testing.T, db *store.DB) crew {
	t.Helper()
	c := crew{db: db, admin: owner(t, db, crm.RoleAdmin)}
	c.write(t, func(tx *store.Tx) error {
		ws := c.admin.WorkspaceID
		for _, m := range []struct {
			p    *crm.Principal
			name string
		}{{&c.ann, "Ann"}, {&c.bob, "Bob"}} {
			u, err := account.CreateUser(tx, account.NewUser{Email: fmt.Sprintf("%s%d@example.com", m.name, ws), Name: m.name, Password: "a long enough phrase"})
			if err != nil {
				return err
			}
			*m.p = crm.Principal{UserID: u.ID, WorkspaceID: ws, Role: crm.RoleMember}
			if err := account.AddMember(tx, ws, u.ID, crm.RoleMember, crm.System); err != nil {
				return err
			}
		}
		_, err := tx.Exec(`UPDATE workspaces SET member_visibility = 'own' WHERE id = ?`, ws)
		return err
	})
	return c
}

func (c crew) write(t *testing.T, fn func(tx *store.Tx) error) {
	t.Helper()
	if err := c.db.Write(context.Background(), fn); err != nil {
		t.Fatal(err)
	}
}

func (c crew) timeline(t *testing.T, p crm.Principal, kind string, id crm.ID, limit int) []records.Entry {
	t.Helper()
	var tl []records.Entry
	if err := c.db.Read(context.Background(), func(tx *store.Tx) (err error) {
		tl, err = records.TimelineFor(tx, p, kind, id, limit)
		return err
	}); err != nil {
		t.Fatal(err)
	}
	return tl
}

// mentions counts the lines of tl that say s.
func mentions(tl []records.Entry, s string) int {
	n := 0
	for _, e := range tl {
		if strings.Contains(e.Summary, s) {
			n++
		}
	}
	return n
}

func ref[T any](v T) *T { return &v }

// TestTimelineHidesWhatTheViewerMayNotSee: an activity's lines on a
// contact's or deal's timeline follow the activity's visibility (the rule
// activities.View applies), and a page still holds limit lines the viewer
// may see. A deal the viewer may not see stays off the contact's timeline.
func TestTimelineHidesWhatTheViewerMayNotSee(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		c := newCrew(t, db)
		var ada records.Contact
		var mine deals.Deal
		var secret activities.Activity
		due := time.Date(2026, 12, 3, 15, 0, 0, 0, time.UTC)
		c.write(t, func(tx *store.Tx) (err error) {
			if ada, err = records.CreateContact(tx, c.ann, records.NewContact{FirstName: "Ada"}); err != nil {
				return err
			}
			if mine, err = deals.CreateDeal(tx, c.ann, deals.NewDeal{Title: "Ann's deal", ContactID: ada.ID}); err != nil {
				return err
			}
			if _, err = deals.CreateDeal(tx, c.admin, deals.NewDeal{Title: "Bob's deal", OwnerID: c.bob.UserID, ContactID: ada.ID}); err != nil {
				return err
			}
			secret, err = activities.Create(tx, c.admin, activities.Input{Type: ref("call"), Title: ref("Secret call"), DueAt: &due,
				OwnerID: &c.bob.UserID, ContactID: &ada.ID, DealID: &mine.ID})
			return err
		})
		if err := c.db.Read(context.Background(), func(tx *store.Tx) error {
			_, err := activities.View(tx, c.ann, secret.ID)
			return err
		}); crm.ErrorCode(err) != crm.NotFound {
			t.Fatalf("ann may see the activity: %v", err)
		}
		for _, tc := range []struct {
			kind string
			id   crm.ID
		}{{"contact", ada.ID}, {"deal", mine.ID}} {
			if tl := c.timeline(t, c.ann, tc.kind, tc.id, 50); mentions(tl, "Secret call") != 0 {
				t.Errorf("ann's %s timeline shows bob's activity: %+v", tc.kind, tl)
			}
			if tl := c.timeline(t, c.admin, tc.kind, tc.id, 50); mentions(tl, "Secret call") == 0 {
				t.Errorf("admin's %s timeline lacks the activity: %+v", tc.kind, tl)
			}
		}
		tl := c.timeline(t, c.ann, "contact", ada.ID, 50)
		for _, e := range tl {
			if strings.Contains(e.About, "Bob's deal") {
				t.Errorf("ann's contact timeline shows bob's deal: %+v", e)
			}
		}
		if tl := c.timeline(t, c.admin, "contact", ada.ID, 50); !aboutSome(tl, "Bob's deal") {
			t.Errorf("admin's contact timeline lacks bob's deal: %+v", tl)
		}
		// Hidden lines are left out before the page is cut: the newest two
		// lines Ann may see are her deal's creation and the contact's.
		if tl := c.timeline(t, c.ann, "contact", ada.ID, 2); len(tl) != 2 || mentions(tl, "Secret call") != 0 ||
			tl[0].Action != crm.Created || tl[0].About != "deal “Ann's deal”" || tl[1].Action != crm.Created || tl[1].About != "" {
			t.Errorf("ann's page of two: %+v", tl)
		}
		if tl := c.timeline(t, c.ann, "deal", mine.ID, 1); len(tl) != 1 || tl[0].Action != crm.Created {
			t.Errorf("ann's deal page of one: %+v", tl)
		}
	})
}

func aboutSome(tl []records.Entry, s string) bool {
	for _, e := range tl {
		if strings.Contains(e.About, s) {
			return true
		}
	}
	return false
}

// TestTimelineShowsAnActivityOnce: an activity on a contact, its company
// and a deal of both writes a line on each; the contact's and the
// company's timelines (which also read the deal's lines) show it once.
func TestTimelineShowsAnActivityOnce(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		c := newCrew(t, db)
		var ada records.Contact
		var co records.Company
		var d deals.Deal
		due := time.Date(2026, 12, 3, 15, 0, 0, 0, time.UTC)
		c.write(t, func(tx *store.Tx) (err error) {
			if co, err = records.CreateCompany(tx, c.admin, records.NewCompany{Name: "Engines"}); err != nil {
				return err
			}
			if ada, err = records.CreateContact(tx, c.admin, records.NewContact{FirstName: "Ada", CompanyID: co.ID}); err != nil {
				return err
			}
			if d, err = deals.CreateDeal(tx, c.admin, deals.NewDeal{Title: "Rollout", ContactID: ada.ID, CompanyID: co.ID}); err != nil {
				return err
			}
			_, err = activities.Create(tx, c.admin, activities.Input{Type: ref("meeting"), Title: ref("Demo"), DueAt: &due,
				ContactID: &ada.ID, CompanyID: &co.ID, DealID: &d.ID})
			return err
		})
		for _, tc := range []struct {
			kind string
			id   crm.ID
		}{{"contact", ada.ID}, {"company", co.ID}, {"deal", d.ID}} {
			if tl := c.timeline(t, c.admin, tc.kind, tc.id, 50); mentions(tl, "Meeting “Demo” added") != 1 {
				t.Errorf("%s timeline: %+v", tc.kind, tl)
			}
		}
	})
}

// TestDealTimelineShowsMoneyAndNames: the totals a deal's line items add up
// to read as money in the deal's currency, and its contacts by name.
func TestDealTimelineShowsMoneyAndNames(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		c := newCrew(t, db)
		var ada, bob records.Contact
		var d deals.Deal
		c.write(t, func(tx *store.Tx) (err error) {
			if ada, err = records.CreateContact(tx, c.admin, records.NewContact{FirstName: "Ada", LastName: "Lovelace"}); err != nil {
				return err
			}
			if bob, err = records.CreateContact(tx, c.admin, records.NewContact{Email: "bob@example.com"}); err != nil {
				return err
			}
			d, err = deals.CreateDeal(tx, c.admin, deals.NewDeal{Title: "Rollout", Currency: "EUR", ContactID: ada.ID,
				Contacts: []deals.DealContact{{ContactID: bob.ID, Role: "Buyer"}}})
			return err
		})
		c.write(t, func(tx *store.Tx) error {
			_, err := products.AddItem(tx, c.admin, d.ID, products.ItemInput{Name: ref("Gizmo"), UnitPrice: products.Decimal("12.50")})
			return err
		})
		tl := c.timeline(t, c.admin, "deal", d.ID, 50)
		all := summaries(tl)
		for _, want := range []string{
			"items net: EUR 0.00 → EUR 12.50 · items total: EUR 0.00 → EUR 12.50",
			"contact: Ada Lovelace · contacts: bob@example.com (Buyer) ·",
		} {
			if !strings.Contains(all, want) {
				t.Errorf("deal timeline lacks %q:\n%s", want, all)
			}
		}
		if strings.Contains(all, ada.ID.String()) || strings.Contains(all, "1250") {
			t.Errorf("raw ids or minor units:\n%s", all)
		}
		// On the contact's timeline the deal's lines read the same.
		if all := summaries(c.timeline(t, c.admin, "contact", ada.ID, 50)); !strings.Contains(all, "items net: EUR 0.00 → EUR 12.50") ||
			!strings.Contains(all, "contact: Ada Lovelace") {
			t.Errorf("contact timeline:\n%s", all)
		}
	})
}

func summaries(tl []records.Entry) string {
	var lines []string
	for _, e := range tl {
		lines = append(lines, e.Summary)
	}
	return strings.Join(lines, "\n")
}

// TestDealTimelineShowsLineItems: a deal's line items show on its timeline
// by name — added, changed, moved, removed (found through its removal) —
// and stay off its contact's.
func TestDealTimelineShowsLineItems(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		c := newCrew(t, db)
		var ada records.Contact
		var d deals.Deal
		c.write(t, func(tx *store.Tx) (err error) {
			if ada, err = records.CreateContact(tx, c.admin, records.NewContact{FirstName: "Ada"}); err != nil {
				return err
			}
			d, err = deals.CreateDeal(tx, c.admin, deals.NewDeal{Title: "Rollout", Currency: "EUR", ContactID: ada.ID})
			return err
		})
		add := func(in products.ItemInput) (it products.Item) {
			c.write(t, func(tx *store.Tx) (err error) { it, err = products.AddItem(tx, c.admin, d.ID, in); return err })
			return it
		}
		gizmo := add(products.ItemInput{Name: ref("Gizmo"), UnitPrice: products.Decimal("12.50")})
		bolt := add(products.ItemInput{Name: ref("Bolt"), UnitPrice: products.Decimal("1"), Quantity: products.Decimal("2.5"),
			Discount: products.Decimal("10"), TaxRate: products.Decimal("20")})
		c.write(t, func(tx *store.Tx) error {
			_, err := products.UpdateItem(tx, c.admin, d.ID, gizmo.ID, products.ItemInput{Quantity: products.Decimal("2"), Name: ref("Gizmo XL")}, 0)
			return err
		})
		c.write(t, func(tx *store.Tx) error { return products.ReorderItems(tx, c.admin, d.ID, []crm.ID{bolt.ID, gizmo.ID}) })
		c.write(t, func(tx *store.Tx) error { return products.RemoveItem(tx, c.admin, d.ID, bolt.ID) })
		tl := c.timeline(t, c.admin, "deal", d.ID, 50)
		all := summaries(tl)
		for _, want := range []string{
			"added item “Gizmo XL”: 1 × EUR 12.50",
			"added item “Bolt”: 2.5 × EUR 1.00, 10% off, 20% tax",
			"changed item “Gizmo XL”: name: Gizmo → Gizmo XL · quantity: 1 → 2",
			"moved item “Bolt” to line 1",
			"removed item “Bolt”",
		} {
			if !strings.Contains(all, want) {
				t.Errorf("deal timeline lacks %q:\n%s", want, all)
			}
		}
		// Newest first: the removal, then what it did to the totals.
		if len(tl) < 2 || tl[0].Summary != "items net: EUR 27.25 → EUR 25.00 · items total: EUR 27.70 → EUR 25.00" ||
			tl[1].Summary != "removed item “Bolt”" || tl[1].Action != crm.Deleted {
			t.Errorf("newest lines:\n%s", all)
		}
		// A page of limit lines counts the items' too.
		if tl := c.timeline(t, c.admin, "deal", d.ID, 3); len(tl) != 3 || !strings.HasPrefix(tl[2].Summary, "moved item") {
			t.Errorf("page of three:\n%s", summaries(tl))
		}
		if all := summaries(c.timeline(t, c.admin, "contact", ada.ID, 50)); strings.Contains(all, "Gizmo") {
			t.Errorf("item lines on the contact's timeline:\n%s", all)
		}

		// A free line added and removed leaves the totals as they were (no
		// totals event on the deal); its lines show all the same, and a line
		// removed from another deal does not.
		free := add(products.ItemInput{Name: ref("Setup (free)"), UnitPrice: products.Decimal("0")})
		c.write(t, func(tx *store.Tx) error { return products.RemoveItem(tx, c.admin, d.ID, free.ID) })
		var other deals.Deal
		c.write(t, func(tx *store.Tx) (err error) {
			if other, err = deals.CreateDeal(tx, c.admin, deals.NewDeal{Title: "Other", Currency: "EUR"}); err != nil {
				return err
			}
			it, err := products.AddItem(tx, c.admin, other.ID, products.ItemInput{Name: ref("Elsewhere"), UnitPrice: products.Decimal("3")})
			if err != nil {
				return err
			}
			return products.RemoveItem(tx, c.admin, other.ID, it.ID)
		})
		tl = c.timeline(t, c.admin, "deal", d.ID, 50)
		if len(tl) < 2 || tl[0].Summary != "removed item “Setup (free)”" || !strings.HasPrefix(tl[1].Summary, "added item “Setup (free)”") {
			t.Errorf("a free line added and removed, newest first:\n%s", summaries(tl))
		}
		if all := summaries(tl); strings.Contains(all, "Elsewhere") {
			t.Errorf("another deal's removed line on this deal's timeline:\n%s", all)
		}
	})
}
