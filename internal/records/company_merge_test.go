package records_test

import (
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/tandemcrm/tandem/internal/crm"
	"github.com/tandemcrm/tandem/internal/records"
	"github.com/tandemcrm/tandem/internal/store"
	"github.com/tandemcrm/tandem/internal/store/testdb"
)

// TestMergeCompanies: merging a duplicate company keeps the survivor's
// values unless the other's are chosen (or the survivor has none), unites
// domains and tags, and moves everything that pointed at the other
// company: its people (current and past), deals, activities, notes, files
// and child companies. The other goes to the trash and out of search; both
// timelines say so. Another workspace's company, the same company and a
// read-only member are refused, and change nothing.
func TestMergeCompanies(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		p := owner(t, db, crm.RoleAdmin)
		var a, b, child records.Company
		var ada records.Contact
		err := db.Write(ctx, func(tx *store.Tx) (err error) {
			if _, err = records.CreateField(tx, p, records.FieldInput{Object: "company", Key: "tier", Label: ptr("Tier"), Type: records.FieldText}); err != nil {
				return err
			}
			if a, err = records.CreateCompany(tx, p, records.NewCompany{Name: "Acme", Domain: "acme.com", Tags: []string{"customer"}}); err != nil {
				return err
			}
			if b, err = records.CreateCompany(tx, p, records.NewCompany{Name: "ACME GmbH", Domains: []string{"acme.de", "acme.fr"}, Industry: "Tools",
				Size: 120, Tags: []string{"emea", "customer"}, Custom: map[string]any{"tier": "Gold"}}); err != nil {
				return err
			}
			if child, err = records.CreateCompany(tx, p, records.NewCompany{Name: "Acme Labs", ParentID: b.ID}); err != nil {
				return err
			}
			if ada, err = records.CreateContact(tx, p, records.NewContact{FirstName: "Ada", Email: "ada@acme.de", CompanyID: b.ID}); err != nil {
				return err
			}
			grace, err := records.CreateContact(tx, p, records.NewContact{FirstName: "Grace", Email: "grace@example.com"})
			if err != nil {
				return err
			}
			if _, err := records.AddPastCompany(tx, p, grace.ID, records.PastCompanyInput{CompanyID: &b.ID, Title: ptr("Engineer")}); err != nil {
				return err
			}
			for _, q := range []string{
				`INSERT INTO deals (id, workspace_id, title, pipeline_id, stage_id, company_id, stage_entered_at, created_at, updated_at) VALUES (?, ?, 'Anvils', 0, 0, ?, 0, 0, 0)`,
				`INSERT INTO activities (id, workspace_id, type, title, company_id, created_at, updated_at) VALUES (?, ?, 'call', 'Intro', ?, 0, 0)`,
				`INSERT INTO notes (id, workspace_id, object_type, object_id, body, html, author_id, created_at, updated_at) VALUES (?, ?, 'company', ?, 'n', 'n', 0, 0, 0)`,
				`INSERT INTO files (id, workspace_id, object_type, object_id, name, content_type, size, sha256, storage_key, uploaded_by, created_at) VALUES (?, ?, 'company', ?, 'price list.pdf', 'application/pdf', 3, 'x', 'k', 0, 0)`,
			} {
				if _, err := tx.Exec(q, tx.NewID(), p.WorkspaceID, b.ID); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}

		other := owner(t, db, crm.RoleAdmin)
		reader := p
		reader.Role = crm.RoleReadOnly
		for _, bad := range []struct {
			p        crm.Principal
			into, fr crm.ID
			code     crm.Code
		}{{p, a.ID, a.ID, crm.Invalid}, {other, a.ID, b.ID, crm.NotFound}, {reader, a.ID, b.ID, crm.Forbidden}} {
			err := db.Write(ctx, func(tx *store.Tx) error {
				_, err := records.MergeCompanies(tx, bad.p, bad.into, bad.fr, nil)
				return err
			})
			if crm.ErrorCode(err) != bad.code {
				t.Errorf("merge %d into %d as %s: %v, want %s", bad.fr, bad.into, bad.p.Role, err, bad.code)
			}
		}

		var m records.Company
		if err := db.Write(ctx, func(tx *store.Tx) (err error) {
			m, err = records.MergeCompanies(tx, p, a.ID, b.ID, map[string]bool{"size": true})
			return err
		}); err != nil {
			t.Fatal(err)
		}
		if m.Name != "Acme" || m.Industry != "Tools" || m.Size != 120 || strings.Join(m.Domains, ",") != "acme.com,acme.de,acme.fr" ||
			strings.Join(m.Tags, ",") != "customer,emea" || m.Custom["tier"] != "Gold" {
			t.Fatalf("merged = %+v", m)
		}
		err = db.Read(ctx, func(tx *store.Tx) error {
			for table, q := range map[string]string{
				"contacts":          `SELECT count(*) FROM contacts WHERE workspace_id = ? AND company_id = ?`,
				"contact_companies": `SELECT count(*) FROM contact_companies WHERE workspace_id = ? AND company_id = ?`,
				"deals":             `SELECT count(*) FROM deals WHERE workspace_id = ? AND company_id = ?`,
				"activities":        `SELECT count(*) FROM activities WHERE workspace_id = ? AND company_id = ?`,
				"child companies":   `SELECT count(*) FROM companies WHERE workspace_id = ? AND parent_id = ?`,
				"notes":             `SELECT count(*) FROM notes WHERE workspace_id = ? AND object_type = 'company' AND object_id = ?`,
				"files":             `SELECT count(*) FROM files WHERE workspace_id = ? AND object_type = 'company' AND object_id = ?`,
			} {
				var onA, onB int
				if err := tx.QueryRow(q, p.WorkspaceID, a.ID).Scan(&onA); err != nil {
					return err
				}
				if err := tx.QueryRow(q, p.WorkspaceID, b.ID).Scan(&onB); err != nil {
					return err
				}
				if onA != 1 || onB != 0 {
					t.Errorf("%s: %d on the survivor, %d on the other; want 1 and 0", table, onA, onB)
				}
			}
			if c, err := records.GetContact(tx, p.WorkspaceID, ada.ID); err != nil || c.CompanyName != "Acme" {
				t.Errorf("Ada's company: %q %v", c.CompanyName, err)
			}
			if _, err := records.GetCompany(tx, p.WorkspaceID, b.ID); crm.ErrorCode(err) != crm.NotFound {
				t.Errorf("the other company is still live: %v", err)
			}
			if c, _ := records.GetCompany(tx, p.WorkspaceID, child.ID); c.ParentID != a.ID {
				t.Errorf("child's parent %d, want the survivor", c.ParentID)
			}
			hits, err := records.Search(tx, p, "acme.fr", 10)
			if err != nil {
				return err
			}
			var ids []crm.ID
			for _, h := range hits {
				ids = append(ids, h.ID)
			}
			if !slices.Contains(ids, a.ID) || slices.Contains(ids, b.ID) {
				t.Errorf("search for the other's domain finds %v, want the survivor only", ids)
			}
			tl, err := records.Timeline(tx, p.WorkspaceID, "company", a.ID, 5)
			if err != nil || len(tl) == 0 || !strings.Contains(tl[0].Summary, "merged") || !strings.Contains(tl[0].Summary, "ACME GmbH") {
				t.Errorf("timeline: %+v %v", tl, err)
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	})
}

func ptr[T any](v T) *T { return &v }
