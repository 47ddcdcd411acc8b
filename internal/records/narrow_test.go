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

// TestContainsNarrowedBySearchIndex: on SQLite a "contains" filter on a
// field the search document holds is narrowed by the trigram index first
// (records.narrower). The lists must be exactly what the filter alone
// gives — checked against the same filters while an import runs, which
// turns narrowing off — across renames, deletions, accents, case, a name
// spanning first and last name, and conditions under or/not; and the
// narrowing must really be used where it should.
func TestContainsNarrowedBySearchIndex(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		p := owner(t, db, crm.RoleAdmin)
		other := owner(t, db, crm.RoleAdmin)
		err := db.Write(ctx, func(tx *store.Tx) error {
			co, err := records.CreateCompany(tx, p, records.NewCompany{Name: "Sonnenschein GmbH", Domain: "sonne.example", Industry: "Solar"})
			if err != nil {
				return err
			}
			var ids []crm.ID
			for _, in := range []records.NewContact{
				{FirstName: "Zoë", LastName: "Ångström", Email: "zoe@GMAIL.com", Title: "VP Sales"},
				{FirstName: "Sonja", LastName: "Anderson", Email: "sonja@gmail.com", Title: "Chief of Staff", CompanyID: co.ID},
				{FirstName: "Ana", LastName: "Smith", Email: "ana.smith@outlook.example", Title: "Buyer"},
				{FirstName: "", LastName: "Sonderberg", Email: "sb@gmail.co.uk"},
				{FirstName: "Olaf", LastName: "", Email: "olaf@example.org", Title: "vp engineering"},
				{FirstName: "Renamed", LastName: "Later", Email: "later@gmail.com"},
				{FirstName: "Deleted", LastName: "Gmailson", Email: "gone@gmail.com"},
				{FirstName: "Percent", LastName: "Sign", Email: "100%_off@deals.example"},
			} {
				c, err := records.CreateContact(tx, p, in)
				if err != nil {
					return err
				}
				ids = append(ids, c.ID)
			}
			first, email := "Renata", "renata@proton.example"
			if _, err := records.UpdateContact(tx, p, ids[5], records.ContactPatch{FirstName: &first, Emails: &[]records.EmailAddr{{Email: email}}}, 0); err != nil {
				return err
			}
			if err := records.DeleteContact(tx, p, ids[6]); err != nil {
				return err
			}
			// Another workspace's gmail users are not this one's.
			_, err = records.CreateContact(tx, other, records.NewContact{FirstName: "Sonja", LastName: "Elsewhere", Email: "else@gmail.com"})
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		list := func(expr string) ([]string, string) {
			var names []string
			var clause string
			err := db.Read(ctx, func(tx *store.Tx) error {
				page, err := records.QueryContacts(tx, p, records.ListQuery{Filter: expr, Sort: "last_name,first_name", Limit: 200})
				if err != nil {
					return err
				}
				for _, c := range page.Items {
					names = append(names, c.FirstName+" "+c.LastName)
				}
				clause, _, err = records.Where(tx, "c", p.WorkspaceID, records.ContactSchema("c", nil, nil), expr, p)
				return err
			})
			if err != nil {
				t.Fatalf("%s: %v", expr, err)
			}
			return names, clause
		}
		cases := []struct {
			expr    string
			narrows bool
		}{
			{`email ~ "gmail"`, true},
			{`email ~ "GMAIL.CO"`, true},
			{`name ~ "son"`, true},
			{`name ~ "a s"`, true}, // "Ana Smith": first and last name
			{`name ~ " son"`, false},
			{`last_name ~ "ngstr"`, true},
			{`last_name ~ "ÅNGSTR"`, true},
			{`last_name ~ "ngstr" or first_name ~ "ol"`, true},
			{`title ~ "vp"`, false}, // shorter than a trigram
			{`title ~ "vp e"`, true},
			{`not (email ~ "gmail")`, false},
			{`not (not (email ~ "gmail")) and title is not empty`, true},
			{`email ~ "100%_"`, true},
			{`email ~ "proton"`, true},
			{`email ~ "later@gmail"`, true},
			{`company.name ~ "sonnen"`, false},
		}
		got := map[string][]string{}
		for _, c := range cases {
			names, clause := list(c.expr)
			got[c.expr] = names
			if used := strings.Contains(clause, "search_index"); used != c.narrows {
				t.Errorf("%s: narrowed %v, want %v (%s)", c.expr, used, c.narrows, clause)
			}
		}
		// The same filters without narrowing: a running import turns it off.
		err = db.Write(ctx, func(tx *store.Tx) error {
			_, err := tx.Exec(`INSERT INTO imports (id, workspace_id, kind, status, file_name, file_path, file_size, template, created_by, created_at, updated_at)
				VALUES (?, ?, 'contacts', 'running', 'x.csv', 'x.csv', 0, '{}', ?, 0, 0)`, tx.NewID(), p.WorkspaceID, p.UserID)
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range cases {
			names, clause := list(c.expr)
			if strings.Contains(clause, "search_index") {
				t.Errorf("%s: narrowed during an import", c.expr)
			}
			if strings.Join(names, "|") != strings.Join(got[c.expr], "|") {
				t.Errorf("%s: narrowed %q, exact %q", c.expr, got[c.expr], names)
			}
		}
		if g := strings.Join(got[`email ~ "gmail"`], "|"); g != "Sonja Anderson| Sonderberg|Zoë Ångström" {
			t.Errorf(`email ~ "gmail": %q`, g)
		}
		if g := strings.Join(got[`last_name ~ "ÅNGSTR"`], "|"); g != "Zoë Ångström" {
			t.Errorf(`last_name ~ "ÅNGSTR": %q`, g)
		}
	})
}

// TestCompanyContainsNarrowed: the company list's name, domain and
// industry are narrowed the same way, with the same exact results.
func TestCompanyContainsNarrowed(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		p := owner(t, db, crm.RoleAdmin)
		other := owner(t, db, crm.RoleAdmin)
		err := db.Write(ctx, func(tx *store.Tx) error {
			for _, in := range []records.NewCompany{
				{Name: "Sonnenschein GmbH", Domain: "sonne.example", Industry: "Solar"},
				{Name: "Moonlight Ltd", Domain: "moon.example", Industry: "Solar Panels"},
				{Name: "Ærø Shipping", Domain: "aero.example", Industry: "Logistics"},
				{Name: "Plain Co", Domain: "plain.example", Industry: "Retail"},
			} {
				if _, err := records.CreateCompany(tx, p, in); err != nil {
					return err
				}
			}
			_, err := records.CreateCompany(tx, other, records.NewCompany{Name: "Other Solar", Domain: "other.example", Industry: "Solar"})
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		list := func(expr string) (string, bool) {
			var names []string
			var narrowed bool
			err := db.Read(ctx, func(tx *store.Tx) error {
				page, err := records.QueryCompanies(tx, p, records.ListQuery{Filter: expr, Sort: "name", Limit: 200})
				if err != nil {
					return err
				}
				for _, c := range page.Items {
					names = append(names, c.Name)
				}
				clause, _, err := records.Where(tx, "co", p.WorkspaceID, records.CompanySchema("co", nil), expr, p)
				narrowed = strings.Contains(clause, "search_index")
				return err
			})
			if err != nil {
				t.Fatalf("%s: %v", expr, err)
			}
			return strings.Join(names, "|"), narrowed
		}
		for expr, want := range map[string]string{
			`industry ~ "SOLAR"`: "Moonlight Ltd|Sonnenschein GmbH",
			`domain ~ "moon."`:   "Moonlight Ltd",
			`name ~ "Ærø s"`:     "Ærø Shipping",
			`name ~ "ærø"`:       "", // ~ folds A–Z only (docs/FILTERS.md), narrowed or not
			`name ~ "gmbh"`:      "Sonnenschein GmbH",
		} {
			got, narrowed := list(expr)
			if got != want || !narrowed {
				t.Errorf("%s: %q (narrowed %v), want %q", expr, got, narrowed, want)
			}
		}
	})
}
