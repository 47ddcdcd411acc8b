package importer_test

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/tandemcrm/tandem/internal/account"
	"github.com/tandemcrm/tandem/internal/crm"
	"github.com/tandemcrm/tandem/internal/importer"
	"github.com/tandemcrm/tandem/internal/records"
	"github.com/tandemcrm/tandem/internal/search"
	"github.com/tandemcrm/tandem/internal/store"
	"github.com/tandemcrm/tandem/internal/store/testdb"
)

func TestMain(m *testing.M) {
	if os.Getenv("IMPORTER_CHILD_DB") != "" {
		os.Exit(crashChild())
	}
	testdb.Main(m)
}

var ctx = context.Background()

// member makes a workspace (or joins ws when not 0) with a user of role.
func member(t *testing.T, db *store.DB, ws crm.ID, role crm.Role, email string) crm.Principal {
	t.Helper()
	var p crm.Principal
	err := db.Write(ctx, func(tx *store.Tx) error {
		if ws == 0 {
			w, err := account.CreateWorkspace(tx, "W", crm.System)
			if err != nil {
				return err
			}
			ws = w.ID
		}
		u, err := account.CreateUser(tx, account.NewUser{Email: email, Name: "U", Password: "a long enough phrase"})
		if err != nil {
			return err
		}
		p = crm.Principal{UserID: u.ID, WorkspaceID: ws, Role: role}
		return account.AddMember(tx, ws, u.ID, role, crm.System)
	})
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func writeFile(t *testing.T, body string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "in.csv")
	if err := os.WriteFile(path, []byte(body), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

// runImport creates and executes an import of body.
func runImport(t *testing.T, db *store.DB, p crm.Principal, kind, body string, tmpl *importer.Template, dry bool) importer.Import {
	t.Helper()
	path := writeFile(t, body)
	var imp importer.Import
	err := db.Write(ctx, func(tx *store.Tx) (err error) {
		imp, err = importer.Create(tx, p, importer.NewImport{Kind: kind, FileName: "in.csv", FilePath: path, Template: tmpl, DryRun: dry})
		return err
	})
	if err != nil {
		t.Fatalf("create: %v", err)
	}
	imp, err = importer.Execute(ctx, db, p.WorkspaceID, imp.ID, importer.Options{TxRows: 3})
	if err != nil {
		t.Fatalf("execute: %v", err)
	}
	return imp
}

// contactsOf lists a workspace's live contacts as "first last <emails> phone title company lifecycle".
func contactsOf(t *testing.T, db *store.DB, ws crm.ID) []string {
	t.Helper()
	var out []string
	err := db.Read(ctx, func(tx *store.Tx) error {
		rows, err := tx.Query(`SELECT c.first_name, c.last_name, c.emails, c.phone, c.title, COALESCE(co.name, ''), c.lifecycle, c.tags
			FROM contacts c LEFT JOIN companies co ON co.workspace_id = c.workspace_id AND co.id = c.company_id
			WHERE c.workspace_id = ? AND c.deleted_at IS NULL`, ws)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var f [8]string
			if err := rows.Scan(&f[0], &f[1], &f[2], &f[3], &f[4], &f[5], &f[6], &f[7]); err != nil {
				return err
			}
			// PostgreSQL's JSONB prints spaces after colons and commas.
			out = append(out, strings.NewReplacer(`": "`, `":"`, `", "`, `","`).Replace(strings.Join(f[:], "|")))
		}
		return rows.Err()
	})
	if err != nil {
		t.Fatal(err)
	}
	sort.Strings(out)
	return out
}

// texts reads the one text column of q's rows. Unscoped: tests read the
// database's catalogs with it too.
func texts(t *testing.T, db *store.DB, q string, args ...any) []string {
	t.Helper()
	var out []string
	err := db.Read(ctx, func(tx *store.Tx) error {
		rows, err := tx.Unscoped().Query(q, args...)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var s string
			if err := rows.Scan(&s); err != nil {
				return err
			}
			out = append(out, s)
		}
		return rows.Err()
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func count(t *testing.T, db *store.DB, q string, args ...any) int {
	t.Helper()
	var n int
	if err := db.Read(ctx, func(tx *store.Tx) error { return tx.QueryRow(q, args...).Scan(&n) }); err != nil {
		t.Fatal(err)
	}
	return n
}

// checkTerms fails t when SQLite's trigram index and the search documents
// disagree (search.CheckTerms).
func checkTerms(t *testing.T, db *store.DB) {
	t.Helper()
	if err := db.Read(ctx, search.CheckTerms); err != nil {
		t.Fatal(err)
	}
}

const hubspot = "First Name,Last Name,Email,Phone Number,Job Title,Company Name,Lifecycle Stage,Contact owner\n" +
	"Ada,Lovelace,ADA@example.com,+44 20 7946 0001,Analyst,Engines Ltd,Marketing Qualified Lead,boss@example.com\n" +
	"Grace,Hopper,grace@example.com,,Admiral,Navy,customer,\n" +
	"Bad,Email,not-an-email,,,,lead,\n" +
	"Ada,Byron,ada@example.com,,Countess,engines ltd,,nobody@example.com\n" +
	",,,,,,,\n" +
	"Alan,Turing,alan@example.com,,,Engines Ltd,wizard,\n"

func TestImportContacts(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		p := member(t, db, 0, crm.RoleAdmin, "admin@example.com")
		boss := member(t, db, p.WorkspaceID, crm.RoleMember, "boss@example.com")
		imp := runImport(t, db, p, "contacts", hubspot, nil, false)
		if imp.Status != importer.Done || imp.Summary() != "created=2 updated=1 skipped=1 errors=2" {
			t.Fatalf("import: %s %s %q", imp.Status, imp.Summary(), imp.Error)
		}
		got := contactsOf(t, db, p.WorkspaceID)
		want := []string{
			`Ada|Byron|[{"email":"ada@example.com"}]|+44 20 7946 0001|Countess|Engines Ltd|qualified|[]`,
			`Grace|Hopper|[{"email":"grace@example.com"}]||Admiral|Navy|customer|[]`,
		}
		if strings.Join(got, "\n") != strings.Join(want, "\n") {
			t.Fatalf("contacts:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
		}
		// Owner by email; the unknown owner leaves the earlier value (boss).
		if n := count(t, db, `SELECT count(*) FROM contacts WHERE workspace_id = ? AND owner_id = ?`, p.WorkspaceID, boss.UserID); n != 1 {
			t.Fatalf("owned by boss: %d", n)
		}
		// One company per name, case-insensitive.
		if n := count(t, db, `SELECT count(*) FROM companies WHERE workspace_id = ?`, p.WorkspaceID); n != 2 {
			t.Fatalf("companies: %d", n)
		}
		// The search index has the new records.
		if n := count(t, db, `SELECT count(*) FROM search_index WHERE workspace_id = ?`, p.WorkspaceID); n != 4 {
			t.Fatalf("search documents: %d", n)
		}
		var issues []importer.Issue
		err := db.Read(ctx, func(tx *store.Tx) (err error) { issues, err = importer.Issues(tx, p, imp.ID, 0, 100); return err })
		if err != nil {
			t.Fatal(err)
		}
		var lines []string
		for _, is := range issues {
			lines = append(lines, fmt.Sprintf("%d %s %s %q %s", is.Line, is.Action, is.Column, is.Value, is.Message))
		}
		wantIssues := []string{
			`4 error Email "not-an-email" not a valid email address`,
			`5 warning Contact owner "nobody@example.com" no member of this workspace has this email; you are the owner`,
			`6 skipped  "" the row has no values in mapped columns`,
			`7 error Lifecycle Stage "wizard" unknown lifecycle; use one of lead, prospect, qualified, opportunity, customer, churned, other, or map this value in the template`,
		}
		if strings.Join(lines, "\n") != strings.Join(wantIssues, "\n") {
			t.Fatalf("issues:\n%s", strings.Join(lines, "\n"))
		}
	})
}

var _ = records.Lifecycles

// TestWriteReport: the downloadable report has every line (two issues of
// one line included, in order), guards values a spreadsheet would run as
// formulas, and is another workspace's import's 404.
func TestWriteReport(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		p := member(t, db, 0, crm.RoleOwner, "rep@example.com")
		imp := runImport(t, db, p, "contacts", "First Name,Email,Other Emails,Owner\n"+
			"Ann,ann@example.com,not-an-address,nobody@example.com\n"+
			"Bad,=HYPERLINK(\"http://x\"),,\n", nil, false)
		var buf bytes.Buffer
		n, err := importer.WriteReport(ctx, db, p, imp.ID, &buf)
		if err != nil {
			t.Fatal(err)
		}
		want := "line,action,column,value,message\n" +
			"2,warning,Other Emails,not-an-address,not a valid email address; left out\n" +
			"2,warning,Owner,nobody@example.com,no member of this workspace has this email; you are the owner\n" +
			"3,error,Email,\"'=HYPERLINK(\"\"http://x\"\")\",not a valid email address\n"
		if n != 3 || buf.String() != want {
			t.Fatalf("report (%d lines):\n%s\nwant:\n%s", n, buf.String(), want)
		}
		other := member(t, db, 0, crm.RoleOwner, "other-rep@example.com")
		if _, err := importer.WriteReport(ctx, db, other, imp.ID, io.Discard); crm.ErrorCode(err) != crm.NotFound {
			t.Fatalf("another workspace's report: %v", err)
		}
	})
}

// TestIssuesPage: the report pages by cursor without cutting a line that
// has two issues; `after` (a line number) skips that line's rest; a cursor
// that is not one is invalid input.
func TestIssuesPage(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		p := member(t, db, 0, crm.RoleOwner, "pages@example.com")
		imp := runImport(t, db, p, "contacts", "First Name,Email,Other Emails,Owner\n"+
			"Ann,ann@example.com,not-an-address,nobody@example.com\n"+
			"Bad,nope,,\n", nil, false)
		var got []string
		cursor := ""
		for range 5 {
			var page []importer.Issue
			var next string
			if err := db.Read(ctx, func(tx *store.Tx) (err error) {
				page, next, err = importer.IssuesPage(tx, p, imp.ID, cursor, 1)
				return err
			}); err != nil {
				t.Fatal(err)
			}
			for _, is := range page {
				got = append(got, fmt.Sprintf("%d %s", is.Line, is.Column))
			}
			if next == "" {
				break
			}
			cursor = next
		}
		if strings.Join(got, "; ") != "2 Other Emails; 2 Owner; 3 Email" {
			t.Fatalf("pages of one: %q", got)
		}
		err := db.Read(ctx, func(tx *store.Tx) error {
			rest, err := importer.Issues(tx, p, imp.ID, 2, 10)
			if err != nil || len(rest) != 1 || rest[0].Line != 3 {
				t.Errorf("after line 2: %+v %v", rest, err)
			}
			_, _, err = importer.IssuesPage(tx, p, imp.ID, "2;x", 10)
			if crm.ErrorFields(err)["cursor"] == "" {
				t.Errorf("a bad cursor: %v", err)
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	})
}
