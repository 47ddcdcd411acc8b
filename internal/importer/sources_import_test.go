package importer_test

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/tandemcrm/tandem/internal/account"
	"github.com/tandemcrm/tandem/internal/crm"
	"github.com/tandemcrm/tandem/internal/importer"
	"github.com/tandemcrm/tandem/internal/store"
	"github.com/tandemcrm/tandem/internal/store/testdb"
)

// importPath creates and runs an import of the file at path.
func importPath(t *testing.T, db *store.DB, p crm.Principal, kind, path, sheet string, o importer.Options) importer.Import {
	t.Helper()
	var imp importer.Import
	err := db.Write(ctx, func(tx *store.Tx) (err error) {
		imp, err = importer.Create(tx, p, importer.NewImport{Kind: kind, FileName: filepath.Base(path), FilePath: path, Sheet: sheet})
		return err
	})
	if err != nil {
		t.Fatalf("create: %v", err)
	}
	imp, err = importer.Execute(ctx, db, p.WorkspaceID, imp.ID, o)
	if err != nil {
		t.Fatalf("execute: %v", err)
	}
	return imp
}

func issueLines(t *testing.T, db *store.DB, p crm.Principal, id crm.ID) string {
	t.Helper()
	var issues []importer.Issue
	err := db.Read(ctx, func(tx *store.Tx) (err error) { issues, err = importer.Issues(tx, p, id, 0, 100); return err })
	if err != nil {
		t.Fatal(err)
	}
	var lines []string
	for _, is := range issues {
		lines = append(lines, fmt.Sprintf("%d %s %s %q %s", is.Line, is.Action, is.Column, is.Value, is.Message))
	}
	return strings.Join(lines, "\n")
}

// TestImportWorkbookAndVCard: the nasty workbook and vCard files import
// through the same pipeline as CSV, and the report names sheet rows and
// the lines where cards begin.
func TestImportWorkbookAndVCard(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		p := member(t, db, 0, crm.RoleAdmin, "admin@example.com")
		imp := importPath(t, db, p, "contacts", "testdata/sheets/cells.xlsx", "", importer.Options{TxRows: 2})
		if imp.Status != importer.Done || imp.Summary() != "created=3 updated=0 skipped=0 errors=0" || imp.Format != importer.FileXLSX || imp.Sheet != "People" {
			t.Fatalf("xlsx: %s %s %s %s %q", imp.Status, imp.Summary(), imp.Format, imp.Sheet, imp.Error)
		}
		want := `6 warning Called "" the cell holds the spreadsheet error #N/A; it is read as empty` + "\n" +
			`7 warning Active "" the cell refers to shared text "99" that the workbook does not have; it is read as empty`
		if got := issueLines(t, db, p, imp.ID); got != want {
			t.Fatalf("xlsx report:\n%s\nwant:\n%s", got, want)
		}
		imp = importPath(t, db, p, "contacts", "testdata/sheets/v3_folded.vcf", "", importer.Options{})
		if imp.Summary() != "created=2 updated=0 skipped=0 errors=0" || imp.Format != importer.FileVCard {
			t.Fatalf("vcf: %s %s %q", imp.Summary(), imp.Format, imp.Error)
		}
		imp = importPath(t, db, p, "contacts", "testdata/sheets/unterminated_bom.vcf", "", importer.Options{})
		if imp.Summary() != "created=1 updated=0 skipped=0 errors=1" {
			t.Fatalf("unterminated: %s %q", imp.Summary(), imp.Error)
		}
		want = "2 warning  \"\" a line without a property name was left out\n" +
			"8 error  \"\" the card that begins on line 8 has no END:VCARD"
		if got := issueLines(t, db, p, imp.ID); got != want {
			t.Fatalf("vcf report:\n%s\nwant:\n%s", got, want)
		}
		got := strings.ReplaceAll(strings.Join(contactsOf(t, db, p.WorkspaceID), "\n"), "}, {", "},{")
		for _, s := range []string{
			"\nAda||[{\"email\":\"ada@example.com\"}]", // the cell's " Ada " is trimmed by the mapping
			// TYPE=work and TYPE=home are carried as labels.
			`Ada King|Lovelace|[{"email":"ada@work.example","label":"work"},`,
			`"ada@home.example","label":"home"}]|+44 20 7946 0958|Mathematician, first programmer|Analytical Engines Ltd|`,
			`Grace|Hopper|[{"email":"grace@navy.example"}]`,
			`Complete|Card|[{"email":"ok@example.com"}]`,
		} {
			if !strings.Contains(got, s) {
				t.Errorf("no contact like %q in\n%s", s, got)
			}
		}
		// A vCard is people only; a sheet that is not there is named.
		err := db.Write(ctx, func(tx *store.Tx) error {
			_, err := importer.Create(tx, p, importer.NewImport{Kind: "companies", FileName: "x.vcf", FilePath: "testdata/sheets/v4_pref.vcf"})
			if err == nil || !strings.Contains(err.Error(), "import it as contacts") {
				t.Errorf("vcf as companies: %v", err)
			}
			_, err = importer.Create(tx, p, importer.NewImport{Kind: "companies", FileName: "x.xlsx", FilePath: "testdata/sheets/two_sheets.xlsx", Sheet: "Kunden"})
			if crm.ErrorCode(err) != crm.Invalid || !strings.Contains(err.Error(), `"Firmen & Co"`) {
				t.Errorf("missing sheet: %v", err)
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		imp = importPath(t, db, p, "companies", "testdata/sheets/two_sheets.xlsx", "2", importer.Options{})
		if imp.Summary() != "created=1 updated=0 skipped=0 errors=0" || imp.Sheet != "Firmen & Co" {
			t.Fatalf("second sheet: %s %s", imp.Summary(), imp.Sheet)
		}
	})
}

// TestWorkbookRoundTripAndResume: contacts exported as XLSX import into a
// fresh workspace as the same contacts, two-line streets, time zones and
// links included (the CSV exports agree byte for byte), also when the import is cancelled after its first batch and
// resumed: a workbook resumes from the sheet row after its checkpoint.
func TestWorkbookRoundTripAndResume(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		a := member(t, db, 0, crm.RoleOwner, "a@example.com")
		var csv strings.Builder
		csv.WriteString("First Name,Last Name,Email,Phone,Job Title,Company Name,Tags,Street,City,Time Zone,Links\n")
		for i := range 25 {
			fmt.Fprintf(&csv, "P%d,Q%d,p%d@example.com,+1 555 0100 %03d,T%d,Co %d,\"x, y\",\"%d Main St\nFloor 2\",Austin,America/Chicago,"+
				"\"\"\"Talks, slides\"\": talks.example/p%d; linkedin.com/in/p%d\"\n", i, i, i, i, i, i%4, i, i, i)
		}
		if imp := runImport(t, db, a, "contacts", csv.String(), nil, false); imp.Summary() != "created=25 updated=0 skipped=0 errors=0" {
			t.Fatalf("seed: %s", imp.Summary())
		}
		want := export(t, db, a, "csv")
		if !bytes.Contains(want, []byte(`,"3 Main St`+"\n"+`Floor 2",Austin,,,,America/Chicago,"""Talks, slides"": https://talks.example/p3; LinkedIn: https://linkedin.com/in/p3"`)) {
			t.Fatalf("export:\n%.600s", want)
		}
		path := filepath.Join(t.TempDir(), "people.xlsx")
		if err := os.WriteFile(path, export(t, db, a, "xlsx"), 0o600); err != nil {
			t.Fatal(err)
		}
		b := member(t, db, 0, crm.RoleOwner, "b@example.com")
		join(t, db, b.WorkspaceID, a.UserID)
		last := importPath(t, db, b, "contacts", path, "", importer.Options{TxRows: 10})
		if last.Status != importer.Done || last.Summary() != "created=25 updated=0 skipped=0 errors=0" {
			t.Fatalf("xlsx import: %s %s %q", last.Status, last.Summary(), last.Error)
		}
		if got := export(t, db, b, "csv"); !bytes.Equal(got, want) {
			t.Fatalf("export after xlsx import differs:\n%s\nwant:\n%s", got, want)
		}
		// Now cancel after the first batch for real, then resume.
		c := member(t, db, 0, crm.RoleOwner, "c@example.com")
		join(t, db, c.WorkspaceID, a.UserID)
		var id crm.ID
		var imp importer.Import
		err := db.Write(ctx, func(tx *store.Tx) error {
			imp, err := importer.Create(tx, c, importer.NewImport{Kind: "contacts", FileName: "people.xlsx", FilePath: path})
			id = imp.ID
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		first := true
		imp, err = importer.Execute(ctx, db, c.WorkspaceID, id, importer.Options{TxRows: 10, OnProgress: func(importer.Import) {
			if first {
				first = false
				if err := db.Write(ctx, func(tx *store.Tx) error { _, err := importer.Cancel(tx, c, id); return err }); err != nil {
					t.Error(err)
				}
			}
		}})
		if err != nil || imp.Status != importer.Cancelled || imp.RowsDone != 10 || imp.Line != 12 {
			t.Fatalf("cancelled: %v %s rows=%d line=%d", err, imp.Status, imp.RowsDone, imp.Line)
		}
		err = db.Write(ctx, func(tx *store.Tx) error { _, err := importer.Resume(tx, c, id); return err })
		if err != nil {
			t.Fatal(err)
		}
		imp, err = importer.Execute(ctx, db, c.WorkspaceID, id, importer.Options{TxRows: 10})
		if err != nil || imp.Summary() != "created=25 updated=0 skipped=0 errors=0" {
			t.Fatalf("resumed: %v %s", err, imp.Summary())
		}
		if got := export(t, db, c, "csv"); !bytes.Equal(got, want) {
			t.Fatalf("export after resumed import differs:\n%s", got)
		}
	})
}

// join makes user a member of workspace ws (owners by email resolve there).
func join(t *testing.T, db *store.DB, ws, user crm.ID) {
	t.Helper()
	if err := db.Write(ctx, func(tx *store.Tx) error { return account.AddMember(tx, ws, user, crm.RoleMember, crm.System) }); err != nil {
		t.Fatal(err)
	}
}
