package importer_test

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/tandemcrm/tandem/internal/account"
	"github.com/tandemcrm/tandem/internal/crm"
	"github.com/tandemcrm/tandem/internal/deals"
	"github.com/tandemcrm/tandem/internal/importer"
	"github.com/tandemcrm/tandem/internal/records"
	"github.com/tandemcrm/tandem/internal/seed"
	"github.com/tandemcrm/tandem/internal/store"
	"github.com/tandemcrm/tandem/internal/store/testdb"
)

func fields(t *testing.T, db *store.DB, p crm.Principal) {
	t.Helper()
	err := db.Write(ctx, func(tx *store.Tx) error {
		for _, in := range []records.FieldInput{
			{Object: "contact", Key: "region", Label: ptr("Region"), Type: records.FieldSelect, Options: &[]string{"EMEA", "APAC", "AMER"}},
			{Object: "contact", Key: "score", Label: ptr("Lead score"), Type: records.FieldNumber},
			{Object: "contact", Key: "vip", Label: ptr("VIP"), Type: records.FieldBoolean},
		} {
			if _, err := records.CreateField(tx, p, in); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

func ptr[T any](v T) *T { return &v }

func export(t *testing.T, db *store.DB, p crm.Principal, format string) []byte {
	t.Helper()
	var buf bytes.Buffer
	if _, err := importer.ExportContacts(ctx, db, p, records.ListQuery{}, format, nil, &buf); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// seededOwner seeds a workspace (40 companies, 400 contacts) and returns
// its owner, its members and the seed's result.
func seededOwner(t *testing.T, db *store.DB) (crm.Principal, []crm.ID, seed.Result) {
	t.Helper()
	o, _ := seed.Size("demo")
	o.Seed, o.Companies, o.Contacts, o.Deals, o.Activities = 3, 40, 400, 0, 0
	return seededWith(t, db, o)
}

// seededWith is seededOwner with other sizes.
func seededWith(t *testing.T, db *store.DB, o seed.Options) (crm.Principal, []crm.ID, seed.Result) {
	t.Helper()
	res, err := seed.Generate(ctx, db, o)
	if err != nil {
		t.Fatal(err)
	}
	a := crm.Principal{WorkspaceID: res.WorkspaceID, Role: crm.RoleOwner}
	var users []crm.ID
	err = db.Read(ctx, func(tx *store.Tx) (err error) {
		if users, err = tx.IDs(`SELECT user_id FROM memberships WHERE workspace_id = ? ORDER BY user_id`, res.WorkspaceID); err != nil {
			return err
		}
		return tx.QueryRow(`SELECT u.id FROM users u WHERE u.email = ?`, res.OwnerEmail).Scan(&a.UserID)
	})
	if err != nil {
		t.Fatal(err)
	}
	return a, users, res
}

// freshWorkspace is a new workspace whose owner is new and whose members
// are users, so that an export's owners resolve on import.
func freshWorkspace(t *testing.T, db *store.DB, users []crm.ID) crm.Principal {
	t.Helper()
	b := member(t, db, 0, crm.RoleOwner, "fresh-owner@example.com")
	err := db.Write(ctx, func(tx *store.Tx) error {
		for _, u := range users {
			if err := account.AddMember(tx, b.WorkspaceID, u, crm.RoleMember, crm.System); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// TestRoundTrip: export a seeded workspace (with custom fields, several
// emails and phones, tags, a formula-like value) → import the file into a
// fresh workspace with the same members → export again: the same bytes.
func TestRoundTrip(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		a, users, res := seededOwner(t, db)
		fields(t, db, a)
		// Give some contacts custom values, more emails and phones, tags and
		// values that need care in CSV.
		jsonb := "" // PostgreSQL wants the JSON column's type said
		if db.Dialect() == store.Postgres {
			jsonb = "::jsonb"
		}
		err := db.Write(ctx, func(tx *store.Tx) error {
			_, err := tx.Exec(`UPDATE contacts SET custom = '{"region":"EMEA","score":12.5,"vip":true}',
				emails = ('[{"email":"' || email || '"},{"email":"second.' || email || '","label":"home"}]')`+jsonb+`, tags = '["hot lead", "vip"]'
				WHERE workspace_id = ? AND id IN (SELECT id FROM contacts WHERE workspace_id = ? ORDER BY id LIMIT 20)`, a.WorkspaceID, a.WorkspaceID)
			if err != nil {
				return err
			}
			// Labelled second numbers, one with an area code in brackets.
			_, err = tx.Exec(`UPDATE contacts SET phones = ?, phone = '+1 202 555 0100', phone_digits = '12025550100'
				WHERE workspace_id = ? AND id IN (SELECT id FROM contacts WHERE workspace_id = ? ORDER BY id LIMIT 3 OFFSET 30)`,
				`[{"phone":"+1 202 555 0100"},{"phone":"(757) 555-0188","label":"mobile"},{"phone":"+1 202 555 0199","label":"fax"}]`, a.WorkspaceID, a.WorkspaceID)
			if err != nil {
				return err
			}
			_, err = tx.Exec(`UPDATE contacts SET title = '=HYPERLINK("x")', first_name = ?, source = 'He said "hi", then left'
				WHERE workspace_id = ? AND id = (SELECT max(id) FROM contacts WHERE workspace_id = ?)`, "Line\nBreak", a.WorkspaceID, a.WorkspaceID)
			if err != nil {
				return err
			}
			// Streets of two lines, postal codes and links (the seed gives
			// cities, states, countries and time zones); one contact's link
			// labels hold the list separators.
			_, err = tx.Exec(`UPDATE contacts SET street = ?, postal_code = '10117', links = ?
				WHERE workspace_id = ? AND id IN (SELECT id FROM contacts WHERE workspace_id = ? ORDER BY id LIMIT 5 OFFSET 20)`,
				"Unter den Linden 1\nHof 2", `[{"label":"LinkedIn","url":"https://www.linkedin.com/in/ada"},{"label":"Website","url":"https://ada.example/"}]`,
				a.WorkspaceID, a.WorkspaceID)
			if err != nil {
				return err
			}
			_, err = tx.Exec(`UPDATE contacts SET street = '-Minus Street 1', links = ?
				WHERE workspace_id = ? AND id = (SELECT min(id) FROM contacts WHERE workspace_id = ?)`,
				`[{"label":"Talks; slides, 2024","url":"https://talks.example/a;b"},{"label":"X","url":"https://x.com/grace"}]`, a.WorkspaceID, a.WorkspaceID)
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		first := export(t, db, a, "csv")

		b := freshWorkspace(t, db, users)
		fields(t, db, b)
		path := filepath.Join(t.TempDir(), "export.csv")
		if err := os.WriteFile(path, first, 0o600); err != nil {
			t.Fatal(err)
		}
		imp := create(t, db, b, path, nil)
		imp, err = importer.Execute(ctx, db, b.WorkspaceID, imp.ID, importer.Options{TxRows: 150})
		if err != nil || imp.Summary() != fmt.Sprintf("created=%d updated=0 skipped=0 errors=0", res.Contacts) {
			t.Fatalf("import: %v %s %s", err, imp.Summary(), imp.Error)
		}
		second := export(t, db, b, "csv")
		if !bytes.Equal(first, second) {
			fl, sl := strings.Split(string(first), "\n"), strings.Split(string(second), "\n")
			for i := range min(len(fl), len(sl)) {
				if fl[i] != sl[i] {
					t.Fatalf("line %d differs:\n%s\n%s", i+1, fl[i], sl[i])
				}
			}
			t.Fatalf("exports differ in length: %d, %d lines", len(fl), len(sl))
		}
		if !strings.Contains(string(first), `'=HYPERLINK`) || !strings.Contains(string(first), "Region,Lead score,VIP") {
			t.Fatalf("export lacks the formula guard or custom columns:\n%.400s", first)
		}
		// The address, time zone and links are in the file (so the equal
		// second export shows the import kept them).
		for _, s := range []string{"Created At,Street,City,State,Postal Code,Country,Time Zone,Links,Region",
			"\"Unter den Linden 1\nHof 2\",", ",10117,", "America/New_York,",
			",LinkedIn: https://www.linkedin.com/in/ada; Website: https://ada.example/,",
			"'-Minus Street 1,", `"""Talks; slides, 2024"": https://talks.example/a;b; X: https://x.com/grace"`,
			",+1 202 555 0100,(757) 555-0188 (mobile); +1 202 555 0199 (fax),", " (home),"} {
			if !strings.Contains(string(first), s) {
				t.Fatalf("export lacks %q:\n%.800s", s, first)
			}
		}
		if x := export(t, db, a, "xlsx"); !bytes.HasPrefix(x, []byte("PK")) {
			t.Fatal("xlsx is not a zip")
		}
		v := string(export(t, db, a, "vcf"))
		if strings.Count(v, "BEGIN:VCARD\r\n") != res.Contacts || !strings.Contains(v, "EMAIL;TYPE=INTERNET,HOME:second.") ||
			!strings.Contains(v, `FN:Line\nBreak`) || !strings.Contains(v, "TEL;TYPE=VOICE,PREF:+") || !strings.Contains(v, `CATEGORIES:hot lead,vip`) ||
			!strings.Contains(v, "\r\nADR:;;Unter den Linden 1\\nHof 2;") || !strings.Contains(v, "\r\nTZ;VALUE=text:America/New_York\r\n") ||
			!strings.Contains(v, "\r\nURL;TYPE=LinkedIn:https://www.linkedin.com/in/ada\r\n") ||
			!strings.Contains(v, "\r\nTEL;TYPE=CELL:(757) 555-0188\r\nTEL;TYPE=FAX:+1 202 555 0199\r\n") ||
			!strings.Contains(v, "\r\nURL;TYPE=\"Talks; slides, 2024\":https://talks.example/a;b\r\n") {
			t.Fatalf("vcard:\n%.1200s", v)
		}
	})
}

// TestCompanyRoundTrip: the same for companies — a seeded workspace's
// companies (with a custom field, tags, sizes and a formula-like name) →
// CSV → a company import into a fresh workspace → CSV again: the same
// bytes. A filter, a sort and chosen columns apply; XLSX names its sheet.
func TestCompanyRoundTrip(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		a, users, res := seededOwner(t, db)
		tier := records.FieldInput{Object: "company", Key: "tier", Label: ptr("Tier"), Type: records.FieldSelect, Options: &[]string{"Gold", "Silver"}}
		jsonb, newestDomain := "", ""
		if db.Dialect() == store.Postgres {
			jsonb = "::jsonb"
		}
		err := db.Write(ctx, func(tx *store.Tx) error {
			if _, err := records.CreateField(tx, a, tier); err != nil {
				return err
			}
			if _, err := tx.Exec(`UPDATE companies SET custom = '{"tier":"Gold"}', tags = '["partner", "emea"]'`+jsonb+`, size = 250, phone = '+1 555 0100'
				WHERE workspace_id = ? AND id IN (SELECT id FROM companies WHERE workspace_id = ? ORDER BY id LIMIT 10)`, a.WorkspaceID, a.WorkspaceID); err != nil {
				return err
			}
			if _, err := tx.Exec(`UPDATE companies SET name = '=cmd|x', industry = 'Food, "fine" and more'
				WHERE workspace_id = ? AND id = (SELECT max(id) FROM companies WHERE workspace_id = ?)`, a.WorkspaceID, a.WorkspaceID); err != nil {
				return err
			}
			// Streets and postal codes (the seed gives cities, states and
			// countries), one street of two lines.
			if _, err := tx.Exec(`UPDATE companies SET street = ?, postal_code = 'SW1Y 4JH'
				WHERE workspace_id = ? AND id IN (SELECT id FROM companies WHERE workspace_id = ? ORDER BY id LIMIT 4 OFFSET 2)`,
				"12 St James's Square\nSuite 3", a.WorkspaceID, a.WorkspaceID); err != nil {
				return err
			}
			// Parents: the oldest company (the export's first line) under the
			// newest (its last line), found only at the import's end; the
			// newest under the second oldest, found on its own line.
			byAge, err := tx.IDs(`SELECT id FROM companies WHERE workspace_id = ? ORDER BY created_at, id`, a.WorkspaceID)
			if err != nil {
				return err
			}
			oldest, second, newest := byAge[0], byAge[1], byAge[len(byAge)-1]
			if err := tx.QueryRow(`SELECT domain FROM companies WHERE workspace_id = ? AND id = ?`, a.WorkspaceID, newest).Scan(&newestDomain); err != nil {
				return err
			}
			for _, pc := range [][2]crm.ID{{oldest, newest}, {newest, second}} {
				if _, err := tx.Exec(`UPDATE companies SET parent_id = ? WHERE workspace_id = ? AND id = ?`, pc[1], a.WorkspaceID, pc[0]); err != nil {
					return err
				}
			}
			// Other domains on the first three companies.
			ids, err := tx.IDs(`SELECT id FROM companies WHERE workspace_id = ? ORDER BY id LIMIT 3`, a.WorkspaceID)
			if err != nil {
				return err
			}
			for i, id := range ids {
				for j := range i + 1 {
					if _, err := tx.Exec(`INSERT INTO company_domains (workspace_id, company_id, domain, position) VALUES (?, ?, ?, ?)`,
						a.WorkspaceID, id, fmt.Sprintf("other%d-%d.example", i, j), j+1); err != nil {
						return err
					}
				}
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		exportCo := func(p crm.Principal, q records.ListQuery, format string, cols []string) []byte {
			t.Helper()
			var buf bytes.Buffer
			if _, err := importer.ExportCompanies(ctx, db, p, q, format, cols, &buf); err != nil {
				t.Fatal(err)
			}
			return buf.Bytes()
		}
		first := exportCo(a, records.ListQuery{}, "csv", nil)
		if !strings.HasPrefix(string(first), "Name,Domain,Other Domains,Industry,Employees,Phone,Tags,Owner,Street,City,State,Postal Code,Country,Parent Company,Tier\n") ||
			!strings.Contains(string(first), ",\"12 St James's Square\nSuite 3\",") || !strings.Contains(string(first), ",SW1Y 4JH,") ||
			!strings.Contains(string(first), ",Boston,MA,") ||
			!strings.Contains(string(first), ",other2-0.example; other2-1.example; other2-2.example,") ||
			!strings.Contains(string(first), "'=cmd|x") || !strings.Contains(string(first), "250,+1 555 0100,partner; emea,") {
			t.Fatalf("export:\n%.600s", first)
		}
		if line2 := strings.SplitN(string(first), "\n", 3)[1]; newestDomain == "" || !strings.Contains(line2, ","+newestDomain+",") {
			t.Fatalf("the first company's parent (%s) is not on its line: %s", newestDomain, line2)
		}
		if n := strings.Count(string(first), "\n") - strings.Count(string(first), "Square\nSuite"); n != res.Companies+1 {
			t.Fatalf("%d lines for %d companies", n, res.Companies)
		}

		b := freshWorkspace(t, db, users)
		if err := db.Write(ctx, func(tx *store.Tx) error { _, err := records.CreateField(tx, b, tier); return err }); err != nil {
			t.Fatal(err)
		}
		imp := runImport(t, db, b, "companies", string(first), nil, false)
		if imp.Summary() != fmt.Sprintf("created=%d updated=0 skipped=0 errors=0", res.Companies) {
			t.Fatalf("import: %s %s", imp.Summary(), imp.Error)
		}
		if second := exportCo(b, records.ListQuery{}, "csv", nil); !bytes.Equal(first, second) {
			fl, sl := strings.Split(string(first), "\n"), strings.Split(string(second), "\n")
			for i := range min(len(fl), len(sl)) {
				if fl[i] != sl[i] {
					t.Fatalf("line %d differs:\n%s\n%s", i+1, fl[i], sl[i])
				}
			}
			t.Fatalf("exports differ in length: %d, %d lines", len(fl), len(sl))
		}

		gold := exportCo(a, records.ListQuery{Filter: `custom.tier = "Gold"`, Sort: "-name"}, "csv", []string{"tier", "NAME"})
		lines := strings.Split(strings.TrimSpace(string(gold)), "\n")
		if len(lines) != 11 || lines[0] != "Tier,Name" || !strings.HasPrefix(lines[1], "Gold,") || lines[1] < lines[2] {
			t.Fatalf("filtered, sorted, two columns:\n%s", gold)
		}
		if x := exportCo(a, records.ListQuery{}, "xlsx", nil); !bytes.HasPrefix(x, []byte("PK")) || !bytes.Contains(x, []byte("xl/workbook.xml")) {
			t.Fatal("xlsx is not a workbook")
		}
		for _, bad := range []struct {
			q      records.ListQuery
			format string
			cols   []string
			field  string
		}{
			{records.ListQuery{Filter: "nope = 1"}, "csv", nil, "filter"},
			{records.ListQuery{}, "vcf", nil, ""},
			{records.ListQuery{}, "csv", []string{"Shoe size"}, "columns"},
		} {
			err := db.Read(ctx, func(tx *store.Tx) error { return importer.CheckCompanyExport(tx, a, bad.q, bad.format, bad.cols) })
			if crm.ErrorCode(err) != crm.Invalid || bad.field != "" && crm.ErrorFields(err)[bad.field] == "" {
				t.Errorf("%+v: %v %v, want invalid on %q", bad, err, crm.ErrorFields(err), bad.field)
			}
		}
		member := member(t, db, a.WorkspaceID, crm.RoleMember, "plain-member@example.com")
		if err := db.Read(ctx, func(tx *store.Tx) error {
			return importer.CheckCompanyExport(tx, member, records.ListQuery{}, "csv", nil)
		}); crm.ErrorCode(err) != crm.Forbidden {
			t.Errorf("a member's export: %v, want forbidden", err)
		}
	})
}

// TestDealRoundTrip: a seeded workspace's deals → CSV → a deal import into
// a fresh workspace that has the same people and companies (imported from
// their own exports) → CSV again: the same bytes. Pipelines, stages, won
// and lost deals with their reasons, owners, contacts and companies come
// back by name and address.
func TestDealRoundTrip(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		o, _ := seed.Size("demo")
		o.Seed, o.Companies, o.Contacts, o.Deals, o.Activities = 5, 30, 200, 80, 0
		a, users, _ := seededWith(t, db, o)
		exportOf := func(p crm.Principal, kind string) string {
			t.Helper()
			var buf bytes.Buffer
			var err error
			switch kind {
			case "contacts":
				_, err = importer.ExportContacts(ctx, db, p, records.ListQuery{}, "csv", nil, &buf)
			case "companies":
				_, err = importer.ExportCompanies(ctx, db, p, records.ListQuery{}, "csv", nil, &buf)
			default:
				_, err = importer.ExportDeals(ctx, db, p, records.ListQuery{}, "csv", nil, &buf)
			}
			if err != nil {
				t.Fatal(err)
			}
			return buf.String()
		}
		first := exportOf(a, "deals")
		if !strings.HasPrefix(first, strings.Join(importer.DealHeader, ",")+"\n") || !strings.Contains(first, ",won,") || !strings.Contains(first, ",lost,") {
			t.Fatalf("deal export:\n%.800s", first)
		}
		b := freshWorkspace(t, db, users)
		// The new workspace is set up with the lost reasons the old one's
		// deals give, as a team moving in would (the deal import refuses
		// reasons the workspace does not have).
		if err := db.Write(ctx, func(tx *store.Tx) error {
			var theirs []string
			rows, err := tx.Query(`SELECT DISTINCT lost_reason FROM deals WHERE workspace_id = ? AND lost_reason <> '' ORDER BY lost_reason`, a.WorkspaceID)
			if err != nil {
				return err
			}
			for rows.Next() {
				var r string
				if err := rows.Scan(&r); err != nil {
					rows.Close()
					return err
				}
				theirs = append(theirs, r)
			}
			rows.Close()
			ours, err := deals.ListLostReasons(tx, b.WorkspaceID)
			if err != nil {
				return err
			}
			for _, r := range theirs {
				if !slices.ContainsFunc(ours, func(x deals.LostReason) bool { return x.Name == r }) {
					if _, err := deals.CreateLostReason(tx, b, r); err != nil {
						return err
					}
				}
			}
			return nil
		}); err != nil {
			t.Fatal(err)
		}
		for _, kind := range []string{"companies", "contacts", "deals"} {
			imp := runImport(t, db, b, kind, exportOf(a, kind), nil, false)
			if imp.Errors != 0 || imp.Skipped != 0 || imp.Status != importer.Done {
				var issues []importer.Issue
				_ = db.Read(ctx, func(tx *store.Tx) (err error) { issues, err = importer.Issues(tx, b, imp.ID, 0, 5); return err })
				t.Fatalf("%s import: %s %s %+v", kind, imp.Summary(), imp.Error, issues)
			}
		}
		if second := exportOf(b, "deals"); first != second {
			fl, sl := strings.Split(first, "\n"), strings.Split(second, "\n")
			for i := range min(len(fl), len(sl)) {
				if fl[i] != sl[i] {
					t.Fatalf("line %d differs:\n%s\n%s", i+1, fl[i], sl[i])
				}
			}
			t.Fatalf("exports differ in length: %d, %d lines", len(fl), len(sl))
		}
		won := exportOfQuery(t, db, a, records.ListQuery{Filter: `status = "won"`, Sort: "-value"}, []string{"Deal Name", "Amount", "Status"})
		lines := strings.Split(strings.TrimSpace(won), "\n")
		if lines[0] != "Deal Name,Amount,Status" || len(lines) < 2 || !strings.HasSuffix(lines[1], ",won") {
			t.Fatalf("won deals, by value:\n%s", won)
		}
	})
}

func exportOfQuery(t *testing.T, db *store.DB, p crm.Principal, q records.ListQuery, cols []string) string {
	t.Helper()
	var buf bytes.Buffer
	if _, err := importer.ExportDeals(ctx, db, p, q, "csv", cols, &buf); err != nil {
		t.Fatal(err)
	}
	return buf.String()
}
