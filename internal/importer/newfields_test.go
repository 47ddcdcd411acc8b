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

// TestNewFieldsAndSelectValues: unmapped columns become custom fields when
// the template asks (not in a dry run, not for members), and select values
// translate through the template's value mapping.
func TestNewFieldsAndSelectValues(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		p := member(t, db, 0, crm.RoleAdmin, "admin@example.com")
		file := "Email,Region,Shoe Size\na@example.com,Europe,42\nb@example.com,Mars,40\nc@example.com,apac,\n"
		tmpl := func() *importer.Template {
			return &importer.Template{Kind: "contacts", Columns: []importer.ColumnMap{{Header: "Email", Field: "email"}},
				NewFields: []importer.NewField{{Header: "Region", Type: "select", Options: []string{"EMEA", "APAC"}}, {Header: "Shoe Size", Type: "number"}},
				Values:    map[string]map[string]string{"custom.region": {"europe": "EMEA"}},
				Dedupe:    importer.Dedupe{Policy: importer.CreateOrUpdate, Match: "email"}}
		}
		dry := runImport(t, db, p, "contacts", file, tmpl(), true)
		if dry.Summary() != "created=3 updated=0 skipped=0 errors=0" {
			t.Fatalf("dry run: %s", dry.Summary())
		}
		var defs []records.FieldDef
		read := func() {
			err := db.Read(ctx, func(tx *store.Tx) (err error) {
				defs, err = records.ListFields(tx, p.WorkspaceID, "contact", false)
				return err
			})
			if err != nil {
				t.Fatal(err)
			}
		}
		if read(); len(defs) != 0 {
			t.Fatalf("a dry run made fields: %+v", defs)
		}
		imp := runImport(t, db, p, "contacts", file, tmpl(), false)
		if imp.Summary() != "created=2 updated=0 skipped=0 errors=1" {
			t.Fatalf("import: %s %q", imp.Summary(), imp.Error)
		}
		if read(); len(defs) != 2 || defs[0].Key != "region" || defs[0].Type != records.FieldSelect || defs[1].Key != "shoe_size" {
			t.Fatalf("fields: %+v", defs)
		}
		if got := rowsOf(t, db, `SELECT email, CAST(custom AS TEXT) FROM contacts WHERE workspace_id = ? ORDER BY email`, p.WorkspaceID); strings.ReplaceAll(got, " ", "") !=
			`a@example.com|{"region":"EMEA","shoe_size":42}`+"\n"+`c@example.com|{"region":"APAC"}` {
			t.Fatalf("contacts:\n%s", got)
		}
		if got := issueLines(t, db, p, imp.ID); !strings.HasPrefix(got, `3 error Region "Mars"`) {
			t.Fatalf("report: %s", got)
		}
		if len(imp.Template.NewFields) != 0 || imp.Template.Columns[1].Field != "custom.region" {
			t.Fatalf("stored template: %+v", imp.Template)
		}
		// Again: the fields exist and are reused.
		if again := runImport(t, db, p, "contacts", file, tmpl(), false); again.Summary() != "created=0 updated=2 skipped=0 errors=1" {
			t.Fatalf("again: %s %q", again.Summary(), again.Error)
		}
		m := member(t, db, p.WorkspaceID, crm.RoleMember, "m@example.com")
		err := db.Write(ctx, func(tx *store.Tx) error {
			_, err := importer.Create(tx, m, importer.NewImport{Kind: "contacts", FileName: "x.csv", FilePath: writeFile(t, file),
				Template: &importer.Template{Kind: "contacts", Columns: []importer.ColumnMap{{Header: "Email", Field: "email"}},
					NewFields: []importer.NewField{{Header: "Other"}}}})
			return err
		})
		if crm.ErrorCode(err) != crm.Forbidden {
			t.Fatalf("member making fields: %v", err)
		}
	})
}

func TestParseValueLines(t *testing.T) {
	got := importer.ParseValueLines(importer.Deals{}, "Closed Won = won\nVerhandlung=Negotiation\npriority: Hoch = high\ncustom.region: Europe = EMEA\njunk\n = x")
	want := map[string]map[string]string{"stage": {"Closed Won": "won", "Verhandlung": "Negotiation"}, "priority": {"Hoch": "high"},
		"custom.region": {"Europe": "EMEA"}}
	if len(got) != len(want) || got["stage"]["Verhandlung"] != "Negotiation" || got["priority"]["Hoch"] != "high" || got["custom.region"]["Europe"] != "EMEA" || len(got["stage"]) != 2 {
		t.Fatalf("%v", got)
	}
	// A workspace's own consent purpose, by key.
	got = importer.ParseValueLines(importer.Kinds["contacts"], "consent.webinars: Ja = granted")
	if len(got) != 1 || got["consent.webinars"]["Ja"] != "granted" {
		t.Fatalf("consent purpose: %v", got)
	}
}
