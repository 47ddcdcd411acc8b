package importer_test

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/tandemcrm/tandem/internal/crm"
	"github.com/tandemcrm/tandem/internal/importer"
	"github.com/tandemcrm/tandem/internal/records"
	"github.com/tandemcrm/tandem/internal/store"
	"github.com/tandemcrm/tandem/internal/store/testdb"
)

// placesOf lists a workspace's live contacts (or companies) as "name |
// street | city | state | postal code | country [| time zone | links]",
// street lines joined by "/".
func placesOf(t *testing.T, db *store.DB, ws crm.ID, table string) []string {
	t.Helper()
	q := `SELECT first_name, street, city, state, postal_code, country, time_zone, links FROM contacts WHERE workspace_id = ? AND deleted_at IS NULL`
	if table == "companies" {
		q = `SELECT name, street, city, state, postal_code, country, '', '' FROM companies WHERE workspace_id = ? AND deleted_at IS NULL`
	}
	var out []string
	err := db.Read(ctx, func(tx *store.Tx) error {
		rows, err := tx.Query(q, ws)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var f [8]string
			if err := rows.Scan(&f[0], &f[1], &f[2], &f[3], &f[4], &f[5], &f[6], &f[7]); err != nil {
				return err
			}
			n := 8
			if table == "companies" {
				n = 6
			}
			out = append(out, strings.ReplaceAll(strings.Join(f[:n], " | "), "\n", "/"))
		}
		return rows.Err()
	})
	if err != nil {
		t.Fatal(err)
	}
	sort.Strings(out)
	return out
}

// importPlaces imports file as kind, fails unless its summary is summary,
// and returns it with the workspace's places after it (placesOf, a line
// each).
func importPlaces(t *testing.T, db *store.DB, p crm.Principal, kind, file, summary string) (importer.Import, string) {
	t.Helper()
	imp := runImport(t, db, p, kind, file, nil, false)
	if imp.Summary() != summary {
		t.Fatalf("import: %s %q, want %s", imp.Summary(), imp.Error, summary)
	}
	return imp, strings.Join(placesOf(t, db, p.WorkspaceID, kind), "\n")
}

// placeFile has a contact to update (Ada), one to create and update in a
// later batch (Grace: runImport's batches are of three rows), bad time
// zones and links (warnings) and a street too long (an error).
const placeFile = "Email,First Name,Street,City,Postal Code,Country,Time Zone,Website,LinkedIn,Links\n" +
	"ada@example.com,Ada,,Paris,,France,Europe/Paris,,https://www.linkedin.com/in/ada,Blog: ada.example/blog\n" +
	"grace@example.com,Grace,\"1 Navy Way\nBuilding 2\",Arlington,22201,USA,America/New York,https://www.linkedin.com/in/grace,,\n" +
	"alan@example.com,Alan,,,,,Mars/Olympus,,alan-turing,not a link\n" +
	"bad@example.com,Bad,\"1\n2\n3\n4\n5\",,,,,,,\n" +
	"grace@example.com,,,,,,,,,X: x.com/grace\n"

// TestImportPlace: addresses, time zones and links of new contacts go
// through the staging table (also when its merge rebuilds the indexes, or
// on PostgreSQL moves in ranges) and those of updated ones are set, an
// address as a whole, links added; bad values are warnings on their line,
// a street too long an error; a LinkedIn page in the Website column is a
// link, not a company; a dry run reports the same and writes nothing; undo
// puts the updated contact's address, zone and links back.
func TestImportPlace(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		for _, rebuild := range []bool{false, true} {
			if rebuild {
				defer importer.SetRebuildMinRows(1)()
			}
			p := member(t, db, 0, crm.RoleAdmin, fmt.Sprintf("place%v@example.com", rebuild))
			existing(t, db, p, records.NewContact{FirstName: "Ada", Email: "ada@example.com", TimeZone: "Europe/London",
				Address: records.Address{Street: "10 Downing St", City: "London", State: "England", PostalCode: "SW1A 2AA", Country: "UK"},
				Links:   []records.Link{{URL: "https://www.linkedin.com/in/ada"}, {URL: "https://x.com/ada"}}})
			before := placesOf(t, db, p.WorkspaceID, "contacts")

			dry := runImport(t, db, p, "contacts", placeFile, nil, true)
			imp := runImport(t, db, p, "contacts", placeFile, nil, false)
			for _, i := range []importer.Import{dry, imp} {
				if i.Summary() != "created=2 updated=2 skipped=0 errors=1" {
					t.Fatalf("rebuild=%v dry=%v: %s %q", rebuild, i.DryRun, i.Summary(), i.Error)
				}
			}
			wantIssues := `5 warning Time Zone "Mars/Olympus" not a time zone like Europe/Berlin or America/New_York; left out` + "\n" +
				`5 warning Links "not a link" not a web address like https://example.com or linkedin.com/in/name; left out` + "\n" +
				`6 error Street "1\n2\n3\n4\n5" a street is limited to 4 lines and 300 characters`
			if got := issueLines(t, db, p, imp.ID); got != wantIssues {
				t.Fatalf("report:\n%s\nwant:\n%s", got, wantIssues)
			}
			var dryIssues []string
			for _, l := range strings.Split(issueLines(t, db, p, dry.ID), "\n") {
				if !strings.Contains(l, "would be") {
					dryIssues = append(dryIssues, l)
				}
			}
			if got := strings.Join(dryIssues, "\n"); got != wantIssues {
				t.Fatalf("dry run's report:\n%s", got)
			}
			got := strings.Join(placesOf(t, db, p.WorkspaceID, "contacts"), "\n")
			want := `Ada |  | Paris | England |  | France | Europe/Paris | [{"label":"LinkedIn","url":"https://www.linkedin.com/in/ada"},` +
				`{"label":"X","url":"https://x.com/ada"},{"label":"Blog","url":"https://ada.example/blog"}]` + "\n" +
				`Alan |  |  |  |  |  |  | [{"label":"LinkedIn","url":"https://www.linkedin.com/in/alan-turing"}]` + "\n" +
				`Grace | 1 Navy Way/Building 2 | Arlington |  | 22201 | USA | America/New_York | ` +
				`[{"label":"LinkedIn","url":"https://www.linkedin.com/in/grace"},{"label":"X","url":"https://x.com/grace"}]`
			if got != want {
				t.Fatalf("rebuild=%v: contacts:\n%s\nwant:\n%s", rebuild, got, want)
			}
			if n := count(t, db, `SELECT count(*) FROM companies WHERE workspace_id = ?`, p.WorkspaceID); n != 0 {
				t.Errorf("a LinkedIn page made %d companies", n)
			}
			if n := count(t, db, `SELECT count(*) FROM import_stage_contacts WHERE workspace_id = ?`, p.WorkspaceID); n != 0 {
				t.Errorf("%d contacts left staged", n)
			}
			// Ada's event names each changed part, as an edit's does.
			changes := texts(t, db, `SELECT changes FROM events WHERE workspace_id = ? AND object_type = 'contact' AND action = 'updated'`, p.WorkspaceID)
			if len(changes) != 1 || !strings.Contains(changes[0], `"city"`) || !strings.Contains(changes[0], `"street"`) ||
				!strings.Contains(changes[0], `"time_zone"`) || !strings.Contains(changes[0], `"links"`) || strings.Contains(changes[0], `"state"`) {
				t.Errorf("update event: %q", changes)
			}
			if _, res, err := importer.UndoImport(ctx, db, p, imp.ID); err != nil || res != (importer.UndoResult{Removed: 2, Restored: 1}) {
				t.Fatalf("undo: %+v %v", res, err)
			}
			if got := placesOf(t, db, p.WorkspaceID, "contacts"); strings.Join(got, "\n") != strings.Join(before, "\n") {
				t.Fatalf("after undo:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(before, "\n"))
			}
		}
	})
}

// TestImportCompanyPlace: a company import reads Salesforce's billing
// address, writes it on create and update (parts the file has replaced
// together) and undo puts it back.
func TestImportCompanyPlace(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		p := member(t, db, 0, crm.RoleAdmin, "coplace@example.com")
		if err := db.Write(ctx, func(tx *store.Tx) error {
			_, err := records.CreateCompany(tx, p, records.NewCompany{Name: "Acme", Domain: "acme.example",
				Address: records.Address{Street: "1 Old Road", City: "Springfield", State: "IL", PostalCode: "62701", Country: "USA"}})
			return err
		}); err != nil {
			t.Fatal(err)
		}
		before := placesOf(t, db, p.WorkspaceID, "companies")
		imp, got := importPlaces(t, db, p, "companies", "Account Name,Website,Billing Street,Billing City,Billing Zip/Postal Code,Billing Country\n"+
			"Acme,acme.example,,Chicago,,USA\n"+
			"Initech,initech.example,\"4120 Freidrich Lane\nSuite 100\",Austin,78744,USA\n"+
			"Bigco,bigco.example,,"+strings.Repeat("x", 101)+",,\n", "created=1 updated=1 skipped=0 errors=1")
		want := "Acme |  | Chicago | IL |  | USA\nInitech | 4120 Freidrich Lane/Suite 100 | Austin |  | 78744 | USA"
		if got != want {
			t.Fatalf("companies:\n%s\nwant:\n%s", got, want)
		}
		if got := issueLines(t, db, p, imp.ID); !strings.HasPrefix(got, `5 error Billing City "xxx`) {
			t.Errorf("report: %s", got)
		}
		if _, res, err := importer.UndoImport(ctx, db, p, imp.ID); err != nil || res != (importer.UndoResult{Removed: 1, Restored: 1}) {
			t.Fatalf("undo: %+v %v", res, err)
		}
		if got := placesOf(t, db, p.WorkspaceID, "companies"); strings.Join(got, "\n") != strings.Join(before, "\n") {
			t.Fatalf("after undo:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(before, "\n"))
		}
	})
}

// TestImportStreetLines: Outlook's Street 2 and 3 columns join the street,
// on a new contact and on one that exists (the parts the file has columns
// for replaced, the country kept),
// and a company's Address Line 2 joins its street.
func TestImportStreetLines(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		p := member(t, db, 0, crm.RoleAdmin, "lines@example.com")
		existing(t, db, p, records.NewContact{FirstName: "Ada", Email: "ada@example.com",
			Address: records.Address{Street: "10 Downing St", City: "London", Country: "UK"}})
		_, got := importPlaces(t, db, p, "contacts", "E-mail Address,First Name,Business Street,Business Street 2,Business Street 3,Business City\n"+
			"ada@example.com,Ada,1 Main St,Suite 5,,Leeds\n"+
			"grace@example.com,Grace,1 Navy Way,Floor 3,Building 2,Arlington\n", "created=1 updated=1 skipped=0 errors=0")
		want := "Ada | 1 Main St/Suite 5 | Leeds |  |  | UK |  | []\nGrace | 1 Navy Way/Floor 3/Building 2 | Arlington |  |  |  |  | []"
		if got != want {
			t.Fatalf("contacts:\n%s\nwant:\n%s", got, want)
		}
		_, got = importPlaces(t, db, p, "companies", "Name,Domain,Address Line 1,Address Line 2,City\nInitech,initech.example,4120 Freidrich Lane,Suite 100,Austin\n",
			"created=1 updated=0 skipped=0 errors=0")
		if got != "Initech | 4120 Freidrich Lane/Suite 100 | Austin |  |  | " {
			t.Fatalf("companies: %s", got)
		}
	})
}

// TestVCardPlace: a vCard's preferred ADR, its TZ and its URLs (labelled by
// TYPE) import into the address, time zone and links; what the vCard
// export writes of them imports into a fresh workspace as the same.
func TestVCardPlace(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		a := member(t, db, 0, crm.RoleOwner, "vplace@example.com")
		imp := importPath(t, db, a, "contacts", "testdata/sheets/v4_place.vcf", "", importer.Options{})
		if imp.Summary() != "created=3 updated=0 skipped=0 errors=0" {
			t.Fatalf("import: %s %q", imp.Summary(), imp.Error)
		}
		wantIssues := `23 warning Time Zone "-05:00" not a time zone like Europe/Berlin or America/New_York; left out` + "\n" +
			`23 warning Links "not a link" not a web address like https://example.com or linkedin.com/in/name; left out`
		if got := issueLines(t, db, a, imp.ID); got != wantIssues {
			t.Errorf("report:\n%s\nwant:\n%s", got, wantIssues)
		}
		got := strings.Join(placesOf(t, db, a.WorkspaceID, "contacts"), "\n")
		want := `Ada | 12 St James, Square/(rear)/Floor 3/PO Box 7 | London | Greater London | SW1Y 4JH | United Kingdom | Europe/London | ` +
			`[{"label":"LinkedIn","url":"https://www.linkedin.com/in/ada"},{"label":"Website","url":"https://engines.example/"},` +
			`{"label":"My blog, mostly maths","url":"https://ada.example/blog"},{"label":"X","url":"https://x.com/ada"}]` + "\n" +
			`Grace |  | Arlington | VA |  | USA | America/New_York | []` + "\n" +
			`Offset |  |  |  |  |  |  | []`
		if got != want {
			t.Fatalf("contacts:\n%s\nwant:\n%s", got, want)
		}

		path := filepath.Join(t.TempDir(), "export.vcf")
		if err := os.WriteFile(path, export(t, db, a, "vcf"), 0o600); err != nil {
			t.Fatal(err)
		}
		b := member(t, db, 0, crm.RoleOwner, "vplace2@example.com")
		if imp := importPath(t, db, b, "contacts", path, "", importer.Options{}); imp.Summary() != "created=3 updated=0 skipped=0 errors=0" {
			t.Fatalf("re-import: %s %q", imp.Summary(), imp.Error)
		}
		if again := strings.Join(placesOf(t, db, b.WorkspaceID, "contacts"), "\n"); again != got {
			t.Fatalf("after the vCard round trip:\n%s\nwant:\n%s", again, got)
		}
	})
}

// TestUndoOldBeforeImage: a before-image kept before imports wrote
// addresses, time zones and links (it has no such keys) restores the rest
// and leaves those as they are, rather than clearing them.
func TestUndoOldBeforeImage(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		p := member(t, db, 0, crm.RoleAdmin, "oldimage@example.com")
		existing(t, db, p, records.NewContact{FirstName: "Ada", Email: "ada@example.com", Title: "Countess",
			Address: records.Address{City: "London"}, TimeZone: "Europe/London", Links: []records.Link{{URL: "https://x.com/ada"}}})
		imp := runImport(t, db, p, "contacts", "Email,Job Title\nada@example.com,Analyst\n", nil, false)
		if imp.Summary() != "created=0 updated=1 skipped=0 errors=0" {
			t.Fatalf("import: %s", imp.Summary())
		}
		err := db.Write(ctx, func(tx *store.Tx) error {
			var before string
			if err := tx.QueryRow(`SELECT before FROM import_before WHERE workspace_id = ? AND import_id = ?`, p.WorkspaceID, imp.ID).Scan(&before); err != nil {
				return err
			}
			var m map[string]any
			if err := json.Unmarshal([]byte(before), &m); err != nil {
				return err
			}
			for _, k := range []string{"street", "city", "state", "postal_code", "country", "time_zone", "links"} {
				delete(m, k)
			}
			old, _ := json.Marshal(m)
			_, err := tx.Exec(`UPDATE import_before SET before = ? WHERE workspace_id = ? AND import_id = ?`, string(old), p.WorkspaceID, imp.ID)
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		if _, res, err := importer.UndoImport(ctx, db, p, imp.ID); err != nil || res.Restored != 1 {
			t.Fatalf("undo: %+v %v", res, err)
		}
		got := strings.Join(placesOf(t, db, p.WorkspaceID, "contacts"), "\n")
		if want := `Ada |  | London |  |  |  | Europe/London | [{"label":"X","url":"https://x.com/ada"}]`; got != want {
			t.Fatalf("after undo: %s\nwant %s", got, want)
		}
		if titles := texts(t, db, `SELECT title FROM contacts WHERE workspace_id = ?`, p.WorkspaceID); len(titles) != 1 || titles[0] != "Countess" {
			t.Fatalf("title after undo: %q", titles)
		}
	})
}
