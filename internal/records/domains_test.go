package records_test

import (
	"context"
	"strings"
	"testing"

	"github.com/tandemcrm/tandem/internal/crm"
	"github.com/tandemcrm/tandem/internal/records"
	"github.com/tandemcrm/tandem/internal/search"
	"github.com/tandemcrm/tandem/internal/store"
	"github.com/tandemcrm/tandem/internal/store/testdb"
)

func TestNormalizeDomain(t *testing.T) {
	cases := []struct{ in, want string }{
		{"acme.com", "acme.com"},
		{"  ACME.Com  ", "acme.com"},
		{"https://www.Acme.com/about", "acme.com"},
		{"http://acme.com", "acme.com"},
		{"HTTPS://WWW.ACME.COM", "acme.com"},
		{"www.acme.co.uk", "acme.co.uk"},
		{"acme.com/", "acme.com"},
		{"acme.com?utm=x", "acme.com"},
		{"acme.com#top", "acme.com"},
		{"acme.com:8443", "acme.com"},
		{"https://user:pw@acme.com:443/x", "acme.com"},
		{"ada@acme.com", "acme.com"},
		{"mailto:ada@acme.com", "acme.com"},
		{"acme.com.", "acme.com"},
		{"ftp://files.acme.com/pub", "files.acme.com"},
		{"wwwacme.com", "wwwacme.com"}, // only a "www." label goes
		{"shop.www.acme.com", "shop.www.acme.com"},
		{"", ""},
		{"   ", ""},
		{"not a domain", "not a domain"}, // normalised, then refused by validation
	}
	for _, c := range cases {
		if got := records.NormalizeDomain(c.in); got != c.want {
			t.Errorf("NormalizeDomain(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

func TestCompanyDomains(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		p := owner(t, db, crm.RoleAdmin)
		write := func(fn func(tx *store.Tx) error) error { return db.Write(ctx, fn) }
		var acme, dup records.Company
		err := write(func(tx *store.Tx) (err error) {
			acme, err = records.CreateCompany(tx, p, records.NewCompany{Name: "Acme",
				Domains: []string{"https://www.Acme.com/", "acme.de", "ACME.com", " ", "acme-corp.example"}})
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		if acme.Domain != "acme.com" || strings.Join(acme.Domains, ",") != "acme.com,acme.de,acme-corp.example" {
			t.Fatalf("created: domain %q, domains %v", acme.Domain, acme.Domains)
		}
		get := func(id crm.ID) records.Company {
			var c records.Company
			if err := db.Read(ctx, func(tx *store.Tx) (err error) { c, err = records.GetCompany(tx, p.WorkspaceID, id); return err }); err != nil {
				t.Fatal(err)
			}
			return c
		}
		if got := get(acme.ID); strings.Join(got.Domains, ",") != "acme.com,acme.de,acme-corp.example" {
			t.Fatalf("read back: %v", got.Domains)
		}

		// Bad input: each bad domain named, nothing stored.
		bad := []string{"acme.com", "not a domain", "x"}
		err = write(func(tx *store.Tx) error {
			_, err := records.UpdateCompany(tx, p, acme.ID, records.CompanyPatch{Domains: &bad}, 0)
			return err
		})
		if f := crm.ErrorFields(err); f["domains.1"] == "" || f["domains.2"] == "" || f["domain"] != "" {
			t.Fatalf("bad domains: %v", err)
		}
		primary := "other.example"
		err = write(func(tx *store.Tx) error {
			list := []string{"acme.com"}
			_, err := records.UpdateCompany(tx, p, acme.ID, records.CompanyPatch{Domain: &primary, Domains: &list}, 0)
			return err
		})
		if crm.ErrorFields(err)["domain"] == "" {
			t.Fatalf("domain and domains disagreeing: %v", err)
		}
		if got := get(acme.ID); len(got.Domains) != 3 || got.Version != 1 {
			t.Fatalf("a refused change left %v (version %d)", got.Domains, got.Version)
		}

		// domain alone replaces the primary and keeps the others; a primary
		// that was one of the others is not kept twice.
		primary = "acme.de"
		var c records.Company
		err = write(func(tx *store.Tx) (err error) {
			c, err = records.UpdateCompany(tx, p, acme.ID, records.CompanyPatch{Domain: &primary}, 1)
			return err
		})
		if err != nil || strings.Join(c.Domains, ",") != "acme.de,acme-corp.example" {
			t.Fatalf("primary replaced: %v %v", c.Domains, err)
		}
		list := []string{"acme.com", "acme.de", "acme-corp.example"}
		err = write(func(tx *store.Tx) (err error) {
			c, err = records.UpdateCompany(tx, p, acme.ID, records.CompanyPatch{Domains: &list}, 0)
			return err
		})
		if err != nil || c.Domain != "acme.com" || strings.Join(get(acme.ID).Domains, ",") != "acme.com,acme.de,acme-corp.example" {
			t.Fatalf("domains replaced: %v %v", get(acme.ID).Domains, err)
		}
		var tl []records.Entry
		db.Read(ctx, func(tx *store.Tx) (err error) {
			tl, err = records.Timeline(tx, p.WorkspaceID, "company", acme.ID, 10)
			return err
		})
		if len(tl) != 3 || !strings.Contains(tl[0].Summary, "domains: acme.de, acme-corp.example → acme.com, acme.de, acme-corp.example") {
			t.Fatalf("timeline: %+v", tl)
		}

		// Duplicates: a company whose primary is one of Acme's other domains,
		// seen from both sides.
		err = write(func(tx *store.Tx) (err error) {
			dup, err = records.CreateCompany(tx, p, records.NewCompany{Name: "Acme GmbH", Domain: "www.acme.de"})
			if err != nil {
				return err
			}
			_, err = records.CreateCompany(tx, p, records.NewCompany{Name: "Unrelated", Domains: []string{"unrelated.example", "acme.org"}})
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		dups := func(c records.Company) string {
			var ds []records.DomainDuplicate
			if err := db.Read(ctx, func(tx *store.Tx) (err error) { ds, err = records.FindCompanyDuplicates(tx, p, c); return err }); err != nil {
				t.Fatal(err)
			}
			var out []string
			for _, d := range ds {
				out = append(out, d.Company.Name+":"+strings.Join(d.Domains, "+"))
			}
			return strings.Join(out, ",")
		}
		if got := dups(dup); got != "Acme:acme.de" {
			t.Errorf("duplicates of Acme GmbH = %q", got)
		}
		if got := dups(get(acme.ID)); got != "Acme GmbH:acme.de" {
			t.Errorf("duplicates of Acme = %q", got)
		}

		// Search finds a company by a domain after the primary.
		find := func(q string) string {
			var rs []records.Result
			if err := db.Read(ctx, func(tx *store.Tx) (err error) { rs, err = records.Search(tx, p, q, 10); return err }); err != nil {
				t.Fatal(err)
			}
			var out []string
			for _, r := range rs {
				out = append(out, r.Title+"|"+r.Subtitle)
			}
			return strings.Join(out, ",")
		}
		// (Best first: SQLite's typo pass may add near misses after it.)
		if got := find("acme-corp.example"); !strings.HasPrefix(got, "Acme|acme.com, acme.de, acme-corp.example") {
			t.Errorf("search by another domain = %q", got)
		}
		if got := find("acme.org"); !strings.HasPrefix(got, "Unrelated|") {
			t.Errorf("search by a second domain given at creation = %q", got)
		}
		// … also after a rebuild of the index from the tables.
		if err := search.Reindex(ctx, db, p.WorkspaceID); err != nil {
			t.Fatal(err)
		}
		if got := find("acme-corp.example"); !strings.HasPrefix(got, "Acme|") {
			t.Errorf("search by another domain after Reindex = %q", got)
		}

		// The filter language: domain is the primary, domains any of them,
		// also one level away from contacts.
		filter := func(expr string) string {
			var page records.Page[records.Company]
			if err := db.Read(ctx, func(tx *store.Tx) (err error) {
				page, err = records.QueryCompanies(tx, p, records.ListQuery{Filter: expr, Sort: "name"})
				return err
			}); err != nil {
				t.Fatalf("%s: %v", expr, err)
			}
			var out []string
			for _, c := range page.Items {
				out = append(out, c.Name)
			}
			return strings.Join(out, ",")
		}
		for expr, want := range map[string]string{
			`domain = "acme.de"`:                  "Acme GmbH",
			`domains = "acme.de"`:                 "Acme,Acme GmbH",
			`domains = "ACME-CORP.example"`:       "Acme",
			`domains in ("acme.org", "acme.com")`: "Acme,Unrelated",
			`domains ~ "acme"`:                    "Acme,Acme GmbH,Unrelated",
			`domains is empty`:                    "",
			`not domains = "acme.de"`:             "Unrelated",
		} {
			if got := filter(expr); got != want {
				t.Errorf("filter %s = %q, want %q", expr, got, want)
			}
		}
		err = write(func(tx *store.Tx) error {
			_, err := records.CreateContact(tx, p, records.NewContact{FirstName: "Wile", CompanyID: acme.ID})
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		var people records.Page[records.Contact]
		err = db.Read(ctx, func(tx *store.Tx) (err error) {
			people, err = records.QueryContacts(tx, p, records.ListQuery{Filter: `company.domains = "acme-corp.example"`})
			return err
		})
		if err != nil || len(people.Items) != 1 || people.Items[0].FirstName != "Wile" {
			t.Fatalf("company.domains on contacts: %+v %v", people.Items, err)
		}
	})
}
