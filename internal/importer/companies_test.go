package importer_test

import (
	"strings"
	"testing"

	"github.com/tandemcrm/tandem/internal/crm"
	"github.com/tandemcrm/tandem/internal/importer"
	"github.com/tandemcrm/tandem/internal/records"
	"github.com/tandemcrm/tandem/internal/store"
	"github.com/tandemcrm/tandem/internal/store/testdb"
)

// TestImportCompanies: companies matched by domain (from a website URL),
// updated and created, with the report, and undone.
func TestImportCompanies(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		p := member(t, db, 0, crm.RoleAdmin, "co@example.com")
		var acme records.Company
		err := db.Write(ctx, func(tx *store.Tx) (err error) {
			acme, err = records.CreateCompany(tx, p, records.NewCompany{Name: "Acme", Domain: "acme.example", Industry: "Anvils"})
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		file := "Company Name,Website,Industry,Number of Employees,Tags\n" +
			"ACME Corporation,https://www.acme.example/about,,250,key account\n" +
			"Initech,initech.example,Software,\"1,200\",\n" +
			"Broken,not a domain,,,\n" +
			"Initech Again,http://initech.example,Consulting,lots,\n"
		imp := runImport(t, db, p, "companies", file, nil, false)
		if imp.Summary() != "created=1 updated=1 skipped=0 errors=2" {
			t.Fatalf("import: %s", imp.Summary())
		}
		var got []string
		err = db.Read(ctx, func(tx *store.Tx) error {
			rows, err := tx.Query(`SELECT name, domain, industry, size, tags FROM companies WHERE workspace_id = ? AND deleted_at IS NULL ORDER BY name`, p.WorkspaceID)
			if err != nil {
				return err
			}
			defer rows.Close()
			for rows.Next() {
				var n, d, i, tags string
				var size int
				if err := rows.Scan(&n, &d, &i, &size, &tags); err != nil {
					return err
				}
				got = append(got, strings.Join([]string{n, d, i, tags}, "|")+"|"+string(rune('0'+size/1000)))
			}
			return rows.Err()
		})
		if err != nil {
			t.Fatal(err)
		}
		want := "ACME Corporation|acme.example|Anvils|[\"key account\"]|0\nInitech|initech.example|Software|[]|1"
		if g := strings.NewReplacer(`", "`, `","`).Replace(strings.Join(got, "\n")); g != want {
			t.Fatalf("companies:\n%s\nwant:\n%s", g, want)
		}
		_, res, err := importer.UndoImport(ctx, db, p, imp.ID)
		if err != nil || res != (importer.UndoResult{Removed: 1, Restored: 1}) {
			t.Fatalf("undo: %+v %v", res, err)
		}
		var name string
		_ = db.Read(ctx, func(tx *store.Tx) error {
			return tx.QueryRow(`SELECT name FROM companies WHERE workspace_id = ? AND id = ?`, p.WorkspaceID, acme.ID).Scan(&name)
		})
		if name != "Acme" || count(t, db, `SELECT count(*) FROM companies WHERE workspace_id = ? AND deleted_at IS NULL`, p.WorkspaceID) != 1 {
			t.Fatalf("after undo: %q", name)
		}
	})
}

// TestImportCompanyOtherDomains: a company is found by any of its domains;
// an Other Domains column adds domains (a bad one is a warning), a row
// found by another domain keeps the primary, the new companies' documents
// hold every domain, and undo puts the domains back as they were.
func TestImportCompanyOtherDomains(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		p := member(t, db, 0, crm.RoleAdmin, "doms@example.com")
		if err := db.Write(ctx, func(tx *store.Tx) error {
			_, err := records.CreateCompany(tx, p, records.NewCompany{Name: "Acme", Domains: []string{"acme.com", "acme.de"}, Phone: "+49 30 7654321"})
			return err
		}); err != nil {
			t.Fatal(err)
		}
		imp := runImport(t, db, p, "companies", "Company Name,Website,Other Domains,Phone\n"+
			"Acme Germany,acme.de,acme.at,\n"+
			"NewCo,newco.example,newco.de; not a domain,\n"+
			"NewCo Again,newco.de,newco.fr,+33 (1) 23-45-67-89\n", nil, false)
		if imp.Summary() != "created=1 updated=2 skipped=0 errors=0" {
			t.Fatalf("import: %s", imp.Summary())
		}
		domains := func(name string) string {
			t.Helper()
			var c records.Company
			err := db.Read(ctx, func(tx *store.Tx) error {
				var id crm.ID
				if err := tx.QueryRow(`SELECT id FROM companies WHERE workspace_id = ? AND name = ? AND deleted_at IS NULL`, p.WorkspaceID, name).Scan(&id); err != nil {
					return err
				}
				var err error
				c, err = records.GetCompany(tx, p.WorkspaceID, id)
				return err
			})
			if err != nil {
				return "none: " + err.Error()
			}
			return strings.Join(c.Domains, ",")
		}
		if got := domains("Acme Germany"); got != "acme.com,acme.de,acme.at" {
			t.Errorf("Acme's domains: %s", got)
		}
		if got := domains("NewCo Again"); got != "newco.example,newco.de,newco.fr" {
			t.Errorf("NewCo's domains: %s", got)
		}
		var issues []importer.Issue
		var hits, byPhone []records.Result
		if err := db.Read(ctx, func(tx *store.Tx) (err error) {
			if issues, err = importer.Issues(tx, p, imp.ID, 0, 10); err != nil {
				return err
			}
			if byPhone, err = records.Search(tx, p, "123456789", 5); err != nil {
				return err
			}
			hits, err = records.Search(tx, p, "newco.fr", 5)
			return err
		}); err != nil {
			t.Fatal(err)
		}
		if len(issues) != 1 || issues[0].Line != 3 || issues[0].Value != "not a domain" {
			t.Errorf("report: %+v", issues)
		}
		if len(hits) != 1 || hits[0].Title != "NewCo Again" {
			t.Errorf("search by another domain: %+v", hits)
		}
		// The documents are written set-based, as records writes one: with
		// the phone's digits.
		if len(byPhone) != 1 || byPhone[0].Title != "NewCo Again" {
			t.Errorf("search by phone digits: %+v", byPhone)
		}
		if _, res, err := importer.UndoImport(ctx, db, p, imp.ID); err != nil || res != (importer.UndoResult{Removed: 1, Restored: 1}) {
			t.Fatalf("undo: %+v %v", res, err)
		}
		if got := domains("Acme"); got != "acme.com,acme.de" {
			t.Errorf("Acme's domains after undo: %s", got)
		}
		// The restored company's document is whole again: found by phone.
		if err := db.Read(ctx, func(tx *store.Tx) (err error) { byPhone, err = records.Search(tx, p, "307654321", 5); return err }); err != nil {
			t.Fatal(err)
		}
		if len(byPhone) != 1 || byPhone[0].Title != "Acme" {
			t.Errorf("search by phone after undo: %+v", byPhone)
		}
	})
}
