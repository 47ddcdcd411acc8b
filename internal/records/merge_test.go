package records_test

import (
	"context"
	"strings"
	"testing"

	"github.com/tandemcrm/tandem/internal/crm"
	"github.com/tandemcrm/tandem/internal/records"
	"github.com/tandemcrm/tandem/internal/store"
	"github.com/tandemcrm/tandem/internal/store/testdb"
)

func TestDuplicatesAndMerge(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		p := owner(t, db, crm.RoleAdmin)
		var a, b, c records.Contact
		err := db.Write(ctx, func(tx *store.Tx) (err error) {
			if a, err = records.CreateContact(tx, p, records.NewContact{FirstName: "Grace", LastName: "Hopper",
				Email: "grace@navy.example", Phone: "+1 (555) 010-2000", Tags: []string{"vip"}}); err != nil {
				return err
			}
			if b, err = records.CreateContact(tx, p, records.NewContact{FirstName: "grace", LastName: "HOPPER", Title: "Rear Admiral",
				Emails: []records.EmailAddr{{Email: "ghopper@yale.example"}}, Phone: "15550102000", Tags: []string{"speaker"}}); err != nil {
				return err
			}
			c, err = records.CreateContact(tx, p, records.NewContact{FirstName: "Alan", Email: "grace@navy.example"})
			if err != nil {
				return err
			}
			_, err = tx.Exec(`INSERT INTO deals (id, workspace_id, title, pipeline_id, stage_id, contact_id, stage_entered_at, created_at, updated_at)
				VALUES (?, ?, 'Compiler', 0, 0, ?, 0, 0, 0)`, tx.NewID(), p.WorkspaceID, b.ID)
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		var dups []records.Duplicate
		db.Read(ctx, func(tx *store.Tx) (err error) { dups, err = records.FindDuplicates(tx, p, a); return err })
		if len(dups) != 2 {
			t.Fatalf("duplicates of a: %+v", dups)
		}
		reasons := map[crm.ID]string{}
		for _, d := range dups {
			reasons[d.Contact.ID] = strings.Join(d.Reasons, ",")
		}
		if reasons[b.ID] != "same phone,same name" || reasons[c.ID] != "same email" {
			t.Fatalf("reasons = %v", reasons)
		}
		var m records.Contact
		err = db.Write(ctx, func(tx *store.Tx) (err error) {
			m, err = records.MergeContacts(tx, p, a.ID, b.ID, map[string]bool{"title": true})
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		if m.Title != "Rear Admiral" || m.FirstName != "Grace" || len(m.Emails) != 2 || len(m.Phones) != 1 || strings.Join(m.Tags, ",") != "vip,speaker" {
			t.Fatalf("merged = %+v", m)
		}
		var dealContact crm.ID
		db.Read(ctx, func(tx *store.Tx) error {
			return tx.QueryRow(`SELECT contact_id FROM deals WHERE workspace_id = ?`, p.WorkspaceID).Scan(&dealContact)
		})
		if dealContact != a.ID {
			t.Fatal("the deal did not move to the surviving contact")
		}
		if err := db.Read(ctx, func(tx *store.Tx) error { _, err := records.GetContact(tx, p.WorkspaceID, b.ID); return err }); crm.ErrorCode(err) != crm.NotFound {
			t.Fatalf("merged-away contact still live: %v", err)
		}
		var tl []records.Entry
		db.Read(ctx, func(tx *store.Tx) (err error) {
			tl, err = records.Timeline(tx, p.WorkspaceID, "contact", a.ID, 5)
			return err
		})
		if !strings.Contains(tl[0].Summary, "merged") || !strings.Contains(tl[0].Summary, b.ID.String()) {
			t.Fatalf("timeline: %+v", tl[0])
		}
	})
}
