package importer_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/tandemcrm/tandem/internal/crm"
	"github.com/tandemcrm/tandem/internal/importer"
	"github.com/tandemcrm/tandem/internal/records"
	"github.com/tandemcrm/tandem/internal/store"
	"github.com/tandemcrm/tandem/internal/store/testdb"
)

// TestImportCompanyParents: a Parent Company column links each company to
// its parent by domain or name — one that existed, one the file made on an
// earlier line, or one on a later line (found at the end); a company is
// never its own parent nor under its own subsidiary; what is not found is
// a warning on its line, in the dry run too; undo restores the parent.
func TestImportCompanyParents(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		p := member(t, db, 0, crm.RoleAdmin, "parents@example.com")
		if err := db.Write(ctx, func(tx *store.Tx) error {
			for _, c := range []records.NewCompany{{Name: "Holding", Domain: "holding.example"}, {Name: "Acme", Domain: "acme.example"}} {
				if _, err := records.CreateCompany(tx, p, c); err != nil {
					return err
				}
			}
			return nil
		}); err != nil {
			t.Fatal(err)
		}
		file := "Name,Website,Parent Company\n" +
			"Acme,acme.example,holding\n" + // existing, by name (any case)
			"Kid,kid.example,later.example\n" + // its parent comes later
			"Later Co,later.example,\n" +
			"Grandkid,grandkid.example,Kid\n" + // made on an earlier line
			"Loop,loop.example,loop.example\n" +
			"Orphan,orphan.example,Nobody Inc\n" +
			"Holding,holding.example,acme.example\n" // Acme is under Holding now: refused
		issues := func(id crm.ID) string {
			var is []importer.Issue
			if err := db.Read(ctx, func(tx *store.Tx) (err error) { is, err = importer.Issues(tx, p, id, 0, 50); return err }); err != nil {
				t.Fatal(err)
			}
			var out []string
			for _, i := range is {
				if i.Action == importer.Warned {
					out = append(out, fmt.Sprintf("%d %s %s", i.Line, i.Value, i.Message))
				}
			}
			return strings.Join(out, "\n")
		}
		dry := runImport(t, db, p, "companies", file, nil, true)
		if got := issues(dry.ID); !strings.Contains(got, "7 Nobody Inc no company has this domain or name") ||
			!strings.Contains(got, "6 loop.example a company cannot be its own parent") {
			t.Errorf("dry run's warnings:\n%s", got)
		}
		imp := runImport(t, db, p, "companies", file, nil, false)
		if imp.Summary() != "created=5 updated=2 skipped=0 errors=0" {
			t.Fatalf("import: %s", imp.Summary())
		}
		parentOf := func() map[string]string {
			out := map[string]string{}
			err := db.Read(ctx, func(tx *store.Tx) error {
				rows, err := tx.Query(`SELECT c.name, COALESCE(pc.name, '') FROM companies c LEFT JOIN companies pc
					ON pc.workspace_id = c.workspace_id AND pc.id = c.parent_id WHERE c.workspace_id = ? AND c.deleted_at IS NULL`, p.WorkspaceID)
				if err != nil {
					return err
				}
				defer rows.Close()
				for rows.Next() {
					var n, pn string
					if err := rows.Scan(&n, &pn); err != nil {
						return err
					}
					out[n] = pn
				}
				return rows.Err()
			})
			if err != nil {
				t.Fatal(err)
			}
			return out
		}
		got := parentOf()
		for child, want := range map[string]string{"Acme": "Holding", "Kid": "Later Co", "Grandkid": "Kid", "Later Co": "",
			"Loop": "", "Orphan": "", "Holding": ""} {
			if got[child] != want {
				t.Errorf("%s's parent: %q, want %q", child, got[child], want)
			}
		}
		if got := issues(imp.ID); !strings.Contains(got, "7 Nobody Inc no company") || strings.Contains(got, "later.example") ||
			!strings.Contains(got, "8 acme.example the parent company belongs to this one already") {
			t.Errorf("warnings:\n%s", got)
		}
		if _, res, err := importer.UndoImport(ctx, db, p, imp.ID); err != nil || res.Removed != 5 {
			t.Fatalf("undo: %+v %v", res, err)
		}
		if got := parentOf(); got["Acme"] != "" || len(got) != 2 {
			t.Errorf("after undo: %v", got)
		}
	})
}

// TestDryRunParentLoop: a dry run warns of a row that would put a company
// under its own subsidiary, among the companies already there, as the real
// run does (and the real run leaves the parent as it was).
func TestDryRunParentLoop(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		p := member(t, db, 0, crm.RoleAdmin, "dryloop@example.com")
		if err := db.Write(ctx, func(tx *store.Tx) error {
			h, err := records.CreateCompany(tx, p, records.NewCompany{Name: "Holding", Domain: "holding.example"})
			if err != nil {
				return err
			}
			_, err = records.CreateCompany(tx, p, records.NewCompany{Name: "Acme", Domain: "acme.example", ParentID: h.ID})
			return err
		}); err != nil {
			t.Fatal(err)
		}
		file := "Name,Website,Parent Company\nHolding,holding.example,acme.example\nAcme,acme.example,holding.example\n"
		want := "2 warning Parent Company \"acme.example\" the parent company belongs to this one already; parent left as it was"
		for _, dry := range []bool{true, false} {
			imp := runImport(t, db, p, "companies", file, nil, dry)
			if got := issueLines(t, db, p, imp.ID); !strings.Contains(got, want) || strings.Contains(got, "\n3 warning") {
				t.Errorf("dry=%v: report:\n%s\nwant the line:\n%s", dry, got, want)
			}
		}
	})
}
