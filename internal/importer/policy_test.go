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
