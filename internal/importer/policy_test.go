package importer_test

import (
	"strings"
	"testing"

	"github.com/tandemcrm/tandem/internal/account"
	"github.com/tandemcrm/tandem/internal/crm"
	"github.com/tandemcrm/tandem/internal/importer"
	"github.com/tandemcrm/tandem/internal/records"
	"github.com/tandemcrm/tandem/internal/store"
	"github.com/tandemcrm/tandem/internal/store/testdb"
)

func existing(t *testing.T, db *store.DB, p crm.Principal, in records.NewContact) records.Contact {
	t.Helper()
	var c records.Contact
	if err := db.Write(ctx, func(tx *store.Tx) (err error) { c, err = records.CreateContact(tx, p, in); return err }); err != nil {
		t.Fatal(err)
	}
	return c
}

func template(match string, policy importer.Policy) *importer.Template {
	return &importer.Template{Kind: "contacts", Columns: []importer.ColumnMap{{Header: "Name", Field: "full_name"},
		{Header: "Email", Field: "email"}, {Header: "Phone", Field: "phone"}, {Header: "Id", Field: "external_id"},
		{Header: "Title", Field: "title"}}, Dedupe: importer.Dedupe{Policy: policy, Match: match}}
}

const policyFile = "Name,Email,Phone,Id,Title\n" +
	"Old Timer,old@example.com,+1 555 0100 100,X1,CTO\n" +
	"New Person,new@example.com,+1 555 0100 200,X2,CEO\n"

// TestDedupePolicies: each policy and match key on the same two rows, one
// matching an existing contact and one new.
func TestDedupePolicies(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		cases := []struct {
			match   string
			policy  importer.Policy
			summary string
			titles  string // titles of the contacts after, sorted
		}{
			{"email", importer.CreateOrUpdate, "created=1 updated=1 skipped=0 errors=0", "CEO,CTO"},
			{"email", importer.CreateOnly, "created=1 updated=0 skipped=1 errors=0", "CEO,Founder"},
			{"email", importer.UpdateOnly, "created=0 updated=1 skipped=1 errors=0", "CTO"},
			{"phone", importer.CreateOrUpdate, "created=1 updated=1 skipped=0 errors=0", "CEO,CTO"},
			{"external_id", importer.UpdateOnly, "created=0 updated=0 skipped=2 errors=0", "Founder"},
			{"", importer.CreateAll, "created=2 updated=0 skipped=0 errors=0", "CEO,CTO,Founder"},
		}
		for _, c := range cases {
			p := member(t, db, 0, crm.RoleAdmin, "p-"+c.match+string(c.policy)+"@example.com")
			existing(t, db, p, records.NewContact{FirstName: "Old", LastName: "Timer", Email: "OLD@example.com", Phone: "(1) 555-0100-100", Title: "Founder"})
			imp := runImport(t, db, p, "contacts", policyFile, template(c.match, c.policy), false)
			var titles []string
			for _, row := range contactsOf(t, db, p.WorkspaceID) {
				titles = append(titles, strings.Split(row, "|")[4])
			}
			if imp.Summary() != c.summary || sortedJoin(titles) != c.titles {
				t.Errorf("%s/%s: %s, titles %v", c.match, c.policy, imp.Summary(), titles)
			}
		}
	})
}

func sortedJoin(s []string) string {
	for i := 1; i < len(s); i++ {
		for j := i; j > 0 && s[j] < s[j-1]; j-- {
			s[j], s[j-1] = s[j-1], s[j]
		}
	}
	return strings.Join(s, ",")
}

// TestImportVisibility: a member who sees only their own records cannot
// update someone else's contact through an import; the row is skipped.
func TestImportVisibility(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		admin := member(t, db, 0, crm.RoleAdmin, "admin@example.com")
		m := member(t, db, admin.WorkspaceID, crm.RoleMember, "m@example.com")
		if err := db.Write(ctx, func(tx *store.Tx) error { return account.SetMemberVisibility(tx, admin, account.SeeOwn) }); err != nil {
			t.Fatal(err)
		}
		existing(t, db, admin, records.NewContact{FirstName: "Old", Email: "old@example.com", Title: "Founder"})
		imp := runImport(t, db, m, "contacts", policyFile, template("email", importer.CreateOrUpdate), false)
		if imp.Summary() != "created=1 updated=0 skipped=1 errors=0" {
			t.Fatalf("member import: %s", imp.Summary())
		}
		ro := member(t, db, admin.WorkspaceID, crm.RoleReadOnly, "ro@example.com")
		err := db.Write(ctx, func(tx *store.Tx) error {
			_, err := importer.Create(tx, ro, importer.NewImport{Kind: "contacts", FilePath: writeFile(t, policyFile)})
			return err
		})
		if crm.ErrorCode(err) != crm.Forbidden {
			t.Fatalf("read-only import: %v", err)
		}
		// Another workspace's import is not found.
		other := member(t, db, 0, crm.RoleOwner, "other@example.com")
		err = db.Read(ctx, func(tx *store.Tx) error { _, err := importer.Get(tx, other, imp.ID); return err })
		if crm.ErrorCode(err) != crm.NotFound {
			t.Fatalf("other workspace: %v", err)
		}
	})
}

// TestDryRun reports what would happen, line by line, and changes nothing.
func TestDryRun(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		p := member(t, db, 0, crm.RoleAdmin, "dry@example.com")
		existing(t, db, p, records.NewContact{FirstName: "Old", Email: "old@example.com", Title: "Founder"})
		before := contactsOf(t, db, p.WorkspaceID)
		dry := runImport(t, db, p, "contacts", hubspot, nil, true)
		if dry.Status != importer.Done || dry.Summary() != "created=2 updated=1 skipped=1 errors=2" {
			t.Fatalf("dry run: %s %s", dry.Status, dry.Summary())
		}
		if after := contactsOf(t, db, p.WorkspaceID); strings.Join(after, "\n") != strings.Join(before, "\n") {
			t.Fatalf("a dry run changed contacts: %v", after)
		}
		if n := count(t, db, `SELECT count(*) FROM companies WHERE workspace_id = ?`, p.WorkspaceID); n != 0 {
			t.Fatalf("a dry run created %d companies", n)
		}
		var lines []string
		_ = db.Read(ctx, func(tx *store.Tx) error {
			is, err := importer.Issues(tx, p, dry.ID, 0, 100)
			for _, i := range is {
				lines = append(lines, string(i.Action))
			}
			return err
		})
		if strings.Join(lines, " ") != "warning created created error warning updated skipped error" {
			t.Fatalf("dry-run report: %v", lines)
		}
		// The real run does what the dry run said.
		real := runImport(t, db, p, "contacts", hubspot, nil, false)
		if real.Summary() != dry.Summary() {
			t.Fatalf("real %s, dry %s", real.Summary(), dry.Summary())
		}
		_, _, err := importer.UndoImport(ctx, db, p, dry.ID)
		if crm.ErrorCode(err) != crm.Conflict {
			t.Fatalf("undo of a dry run: %v", err)
		}
	})
}

func recordsContact(email string) records.NewContact {
	return records.NewContact{FirstName: "Old", Email: email, Title: "Founder"}
}

// TestDealImportHiddenLinks: a member who sees only their own records
// imports deals naming an admin's contact and company, and an activity
// naming the contact. They are made without those links and the report
// says why, line by line; an update keeps a link the deal had already (an
// admin made it).
func TestDealImportHiddenLinks(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		admin := member(t, db, 0, crm.RoleAdmin, "admin@example.com")
		m := member(t, db, admin.WorkspaceID, crm.RoleMember, "m@example.com")
		if err := db.Write(ctx, func(tx *store.Tx) error { return account.SetMemberVisibility(tx, admin, account.SeeOwn) }); err != nil {
			t.Fatal(err)
		}
		hidden := existing(t, db, admin, records.NewContact{FirstName: "Hidden", Email: "hidden@example.com"})
		var co records.Company
		if err := db.Write(ctx, func(tx *store.Tx) (err error) {
			co, err = records.CreateCompany(tx, admin, records.NewCompany{Name: "Secret Ltd"})
			return err
		}); err != nil {
			t.Fatal(err)
		}
		existing(t, db, m, records.NewContact{FirstName: "Mine", Email: "mine@example.com"})
		file := "Deal Name,Contact Email,Company Name,Record ID\n" +
			"Peek,hidden@example.com,Secret Ltd,H1\n" +
			"Fine,mine@example.com,,H2\n"
		imp := runImport(t, db, m, "deals", file, nil, false)
		if imp.Summary() != "created=2 updated=0 skipped=0 errors=0" {
			t.Fatalf("member's deal import: %s\n%s", imp.Summary(), issueLines(t, db, m, imp.ID))
		}
		want := `2 warning Contact Email "hidden@example.com" the contact with this email is hidden from you, so it is not linked` + "\n" +
			`2 warning Company Name "Secret Ltd" the company with this name or domain is hidden from you, so it is not linked`
		if got := issueLines(t, db, m, imp.ID); got != want {
			t.Fatalf("report:\n%s\nwant:\n%s", got, want)
		}
		if got := rowsOf(t, db, `SELECT title, CASE WHEN contact_id <> 0 THEN 1 ELSE 0 END, CASE WHEN company_id <> 0 THEN 1 ELSE 0 END FROM deals WHERE workspace_id = ? ORDER BY title`, admin.WorkspaceID); got != "Fine|1|0\nPeek|0|0" {
			t.Fatalf("deals: %q", got)
		}
		// An activity naming the hidden contact, likewise.
		acts := runImport(t, db, m, "activities", "Type,Subject,Due Date,Contact Email\nCall,Call them,2026-05-04,hidden@example.com\n", nil, false)
		if acts.Summary() != "created=1 updated=0 skipped=0 errors=0" {
			t.Fatalf("member's activity import: %s\n%s", acts.Summary(), issueLines(t, db, m, acts.ID))
		}
		if got := issueLines(t, db, m, acts.ID); got != `2 warning Contact Email "hidden@example.com" the contact with this email is hidden from you, so it is not linked` {
			t.Fatalf("activity report: %s", got)
		}

		// An admin links Peek to both; the member's next import of the same
		// row updates it and leaves the links as they are, without a word.
		if err := db.Write(ctx, func(tx *store.Tx) error {
			_, err := tx.Exec(`UPDATE deals SET contact_id = ?, company_id = ? WHERE workspace_id = ? AND external_id = 'H1'`,
				hidden.ID, co.ID, admin.WorkspaceID)
			return err
		}); err != nil {
			t.Fatal(err)
		}
		tmpl := &importer.Template{Kind: "deals", Columns: []importer.ColumnMap{{Header: "Deal Name", Field: "title"},
			{Header: "Contact Email", Field: "contact"}, {Header: "Company Name", Field: "company"}, {Header: "Record ID", Field: "external_id"}},
			Dedupe: importer.Dedupe{Policy: importer.CreateOrUpdate, Match: "external_id"}}
		again := runImport(t, db, m, "deals", "Deal Name,Contact Email,Company Name,Record ID\nPeek again,hidden@example.com,Secret Ltd,H1\n", tmpl, false)
		if again.Summary() != "created=0 updated=1 skipped=0 errors=0" {
			t.Fatalf("update: %s\n%s", again.Summary(), issueLines(t, db, m, again.ID))
		}
		if got := issueLines(t, db, m, again.ID); got != "" {
			t.Fatalf("the update's report: %s", got)
		}
		if got := rowsOf(t, db, `SELECT title, CASE WHEN contact_id = ? THEN 1 ELSE 0 END, CASE WHEN company_id = ? THEN 1 ELSE 0 END FROM deals WHERE workspace_id = ? AND external_id = 'H1'`,
			hidden.ID, co.ID, admin.WorkspaceID); got != "Peek again|1|1" {
			t.Fatalf("updated deal: %q", got)
		}
	})
}
