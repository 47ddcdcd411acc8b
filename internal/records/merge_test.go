package records_test

import (
	"context"
	"strings"
	"testing"

	"github.com/tandemcrm/tandem/internal/consent"
	"github.com/tandemcrm/tandem/internal/crm"
	"github.com/tandemcrm/tandem/internal/files"
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
			if err != nil {
				return err
			}
			_, err = tx.Exec(`INSERT INTO files (id, workspace_id, object_type, object_id, name, content_type, size, sha256, storage_key, uploaded_by, created_at)
				VALUES (?, ?, 'contact', ?, 'cv.pdf', 'application/pdf', 3, 'x', 'k', 0, 0)`, tx.NewID(), p.WorkspaceID, b.ID)
			if err != nil {
				return err
			}
			_, err = tx.Exec(`INSERT INTO legal_holds (workspace_id, contact_id, reason, set_by, set_at) VALUES (?, ?, 'litigation', 0, 0)`, p.WorkspaceID, b.ID)
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
		var attached []files.File
		var held int
		db.Read(ctx, func(tx *store.Tx) (err error) {
			if attached, err = filesOf(tx, p.WorkspaceID, a.ID); err != nil {
				return err
			}
			return tx.QueryRow(`SELECT count(*) FROM legal_holds WHERE workspace_id = ? AND contact_id = ? AND reason = 'litigation'`, p.WorkspaceID, a.ID).Scan(&held)
		})
		if len(attached) != 1 || attached[0].Name != "cv.pdf" {
			t.Fatalf("files of the survivor: %+v, want the other's cv.pdf", attached)
		}
		if held != 1 {
			t.Fatal("the other contact's legal hold does not cover the survivor")
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

func filesOf(tx *store.Tx, ws, contact crm.ID) ([]files.File, error) {
	return files.List(tx, ws, "contact", contact)
}

// TestMergeMovesConsent: merging a duplicate moves its consent ledger to
// the survivor. The duplicate's later withdrawal stays in force (before, it
// went to the trash with the duplicate and the survivor's older grant
// allowed mail again); a purpose only the duplicate recorded moves over;
// at the same moment a denial wins over a grant; the history holds both.
func TestMergeMovesConsent(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		p := owner(t, db, crm.RoleAdmin)
		const addr = "ada@engine.example"
		var a, b crm.ID
		record := func(tx *store.Tx, c crm.ID, purpose, status string) error {
			_, err := consent.Record(tx, p.WorkspaceID, c, consent.Entry{Purpose: purpose, Status: status}, p.Actor())
			return err
		}
		steps := []func(tx *store.Tx) error{
			func(tx *store.Tx) error {
				x, err := records.CreateContact(tx, p, records.NewContact{FirstName: "Ada", LastName: "Lovelace", Email: addr})
				if err != nil {
					return err
				}
				y, err := records.CreateContact(tx, p, records.NewContact{FirstName: "Augusta", LastName: "King", Email: addr})
				a, b = x.ID, y.ID
				return err
			},
			func(tx *store.Tx) error { return record(tx, a, "marketing_email", "granted") },
			func(tx *store.Tx) error {
				for _, e := range [][3]any{{b, "marketing_email", "withdrawn"}, {b, "sms", "granted"}, {a, "profiling", "granted"}, {b, "profiling", "denied"}} {
					if err := record(tx, e[0].(crm.ID), e[1].(string), e[2].(string)); err != nil {
						return err
					}
				}
				return nil
			},
		}
		for _, s := range steps {
			if err := db.Write(ctx, s); err != nil {
				t.Fatal(err)
			}
		}
		if err := db.Write(ctx, func(tx *store.Tx) error {
			_, err := records.MergeContacts(tx, p, a, b, nil)
			return err
		}); err != nil {
			t.Fatal(err)
		}
		db.Read(ctx, func(tx *store.Tx) error {
			d, err := consent.MayContact(tx, p.WorkspaceID, "email", addr, "marketing_email")
			if err != nil || d.Allowed || !strings.Contains(d.Reason, "withdrawn") {
				t.Errorf("marketing mail to %s after the merge: %+v, %v", addr, d, err)
			}
			states, err := consent.Current(tx, p.WorkspaceID, a)
			if err != nil {
				t.Fatal(err)
			}
			got := map[string]string{}
			for _, s := range states {
				got[s.Purpose.Key] = s.Status
			}
			if got["marketing_email"] != "withdrawn" || got["sms"] != "granted" || got["profiling"] != "denied" || got["calls"] != "" {
				t.Errorf("the survivor's consent: %v", got)
			}
			hist, err := consent.History(tx, p.WorkspaceID, a, 0, 50)
			if err != nil || len(hist) != 5 {
				t.Errorf("the survivor's history: %d entries, %v", len(hist), err)
			}
			left, err := consent.Current(tx, p.WorkspaceID, b)
			for _, s := range left {
				if s.Status != "" {
					t.Errorf("the merged-away contact kept %s: %s", s.Purpose.Key, s.Status)
				}
			}
			return err
		})
	})
}
