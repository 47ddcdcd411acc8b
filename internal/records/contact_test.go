package records_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/tandemcrm/tandem/internal/crm"
	"github.com/tandemcrm/tandem/internal/records"
	"github.com/tandemcrm/tandem/internal/store"
	"github.com/tandemcrm/tandem/internal/store/testdb"
)

func TestContactsQueryUpdateCustom(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		p := owner(t, db, crm.RoleAdmin)
		w := func(fn func(tx *store.Tx) error) error { return db.Write(ctx, fn) }
		label := "Region"
		opts := []string{"EMEA", "AMER", "APAC"}
		if err := w(func(tx *store.Tx) error {
			_, err := records.CreateField(tx, p, records.FieldInput{Object: "contact", Label: &label, Type: records.FieldSelect, Options: &opts})
			return err
		}); err != nil {
			t.Fatal(err)
		}
		scoreLabel := "Lead score"
		if err := w(func(tx *store.Tx) error {
			_, err := records.CreateField(tx, p, records.FieldInput{Object: "contact", Label: &scoreLabel, Type: records.FieldNumber})
			return err
		}); err != nil {
			t.Fatal(err)
		}
		var big records.Company
		w(func(tx *store.Tx) (err error) {
			big, err = records.CreateCompany(tx, p, records.NewCompany{Name: "Big Co"})
			return err
		})
		w(func(tx *store.Tx) error {
			_, err := tx.Exec(`UPDATE companies SET size = 500 WHERE workspace_id = ? AND id = ?`, p.WorkspaceID, big.ID)
			return err
		})
		regions := []string{"EMEA", "AMER", "APAC"}
		for i := 0; i < 30; i++ {
			in := records.NewContact{FirstName: fmt.Sprintf("P%02d", i), LastName: "Doe", Email: fmt.Sprintf("p%d@example.com", i),
				Lifecycle: []string{"lead", "prospect", "customer"}[i%3],
				Custom:    map[string]any{"region": regions[i%3], "lead_score": float64(i)}}
			if i%2 == 0 {
				in.CompanyID = big.ID
			}
			if err := w(func(tx *store.Tx) error { _, err := records.CreateContact(tx, p, in); return err }); err != nil {
				t.Fatal(err)
			}
		}
		// Bad custom values are field errors.
		err := w(func(tx *store.Tx) error {
			_, err := records.CreateContact(tx, p, records.NewContact{FirstName: "X", Custom: map[string]any{"region": "Mars", "nope": 1.0}})
			return err
		})
		if f := crm.ErrorFields(err); f["custom.region"] == "" || f["custom.nope"] == "" {
			t.Fatalf("custom validation: %v", err)
		}
		// Filter + sort + keyset pages.
		q := records.ListQuery{Filter: `custom.region = "EMEA" and company.size >= 50 and lifecycle in ("lead","customer")`,
			Sort: "-custom_ignored", Limit: 2}
		if err := db.Read(ctx, func(tx *store.Tx) error { _, err := records.QueryContacts(tx, p, q); return err }); crm.ErrorFields(err)["sort"] == "" {
			t.Fatalf("bad sort accepted: %v", err)
		}
		q.Sort = "first_name"
		var got []string
		total := -1
		for {
			var page records.Page[records.Contact]
			if err := db.Read(ctx, func(tx *store.Tx) (err error) { page, err = records.QueryContacts(tx, p, q); return err }); err != nil {
				t.Fatal(err)
			}
			if total < 0 {
				total = page.Total
			}
			for _, c := range page.Items {
				got = append(got, c.FirstName)
			}
			if page.Next == "" {
				break
			}
			q.Cursor = page.Next
		}
		// EMEA is i%3==0; with a company: i even; lead or customer: i%3 in {0,2} → i%6==0.
		want := "P00,P06,P12,P18,P24"
		if strings.Join(got, ",") != want || total != 5 {
			t.Fatalf("filtered pages = %v (total %d), want %s", got, total, want)
		}
		// A filter error points at the mistake.
		q = records.ListQuery{Filter: `ownr = me()`}
		err = db.Read(ctx, func(tx *store.Tx) error { _, err := records.QueryContacts(tx, p, q); return err })
		if msg := crm.ErrorFields(err)["filter"]; !strings.Contains(msg, "did you mean 'owner'") {
			t.Fatalf("filter error = %q", msg)
		}
		// Update with If-Match: the right version wins, a stale one conflicts.
		var c records.Contact
		db.Read(ctx, func(tx *store.Tx) error {
			page, err := records.QueryContacts(tx, p, records.ListQuery{Filter: `first_name = "P03"`})
			c = page.Items[0]
			return err
		})
		title := "CTO"
		err = w(func(tx *store.Tx) (err error) {
			c, err = records.UpdateContact(tx, p, c.ID, records.ContactPatch{Title: &title, Custom: map[string]any{"lead_score": nil}}, c.Version)
			return err
		})
		if err != nil || c.Version != 2 || c.Title != "CTO" || c.Custom["lead_score"] != nil {
			t.Fatalf("update: %+v %v", c, err)
		}
		err = w(func(tx *store.Tx) error {
			_, err := records.UpdateContact(tx, p, c.ID, records.ContactPatch{Title: &title}, 1)
			return err
		})
		if crm.ErrorCode(err) != crm.Conflict {
			t.Fatalf("stale If-Match: %v", err)
		}
		var tl []records.Entry
		db.Read(ctx, func(tx *store.Tx) (err error) {
			tl, err = records.Timeline(tx, p.WorkspaceID, "contact", c.ID, 10)
			return err
		})
		if len(tl) != 2 || !strings.Contains(tl[0].Summary, "title: — → CTO") {
			t.Fatalf("timeline: %+v", tl)
		}
		if err := w(func(tx *store.Tx) error { return records.DeleteContact(tx, p, c.ID) }); err != nil {
			t.Fatal(err)
		}
		if err := db.Read(ctx, func(tx *store.Tx) error { _, err := records.GetContact(tx, p.WorkspaceID, c.ID); return err }); crm.ErrorCode(err) != crm.NotFound {
			t.Fatalf("deleted contact still found: %v", err)
		}
	})
}
