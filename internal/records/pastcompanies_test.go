package records_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/tandemcrm/tandem/internal/account"
	"github.com/tandemcrm/tandem/internal/crm"
	"github.com/tandemcrm/tandem/internal/records"
	"github.com/tandemcrm/tandem/internal/store"
	"github.com/tandemcrm/tandem/internal/store/testdb"
)

func TestPastCompanies(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		p := owner(t, db, crm.RoleMember)
		today := time.Now().UTC().Format(time.DateOnly)
		var a, b, c records.Company
		var ada records.Contact
		err := db.Write(ctx, func(tx *store.Tx) (err error) {
			for _, x := range []struct {
				co   *records.Company
				name string
			}{{&a, "Analytical"}, {&b, "Babbage & Co"}, {&c, "Crown"}} {
				if *x.co, err = records.CreateCompany(tx, p, records.NewCompany{Name: x.name}); err != nil {
					return err
				}
			}
			ada, err = records.CreateContact(tx, p, records.NewContact{FirstName: "Ada", LastName: "King", Title: "Analyst", CompanyID: a.ID})
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		move := func(to crm.ID, title string) records.Contact {
			t.Helper()
			var out records.Contact
			err := db.Write(ctx, func(tx *store.Tx) (err error) {
				out, err = records.UpdateContact(tx, p, ada.ID, records.ContactPatch{CompanyID: &to, Title: &title}, 0)
				return err
			})
			if err != nil {
				t.Fatal(err)
			}
			return out
		}
		past := func() string {
			t.Helper()
			var pcs []records.PastCompany
			if err := db.Read(ctx, func(tx *store.Tx) (err error) { pcs, err = records.PastCompanies(tx, p, ada.ID); return err }); err != nil {
				t.Fatal(err)
			}
			var out []string
			for _, pc := range pcs {
				out = append(out, fmt.Sprintf("%s/%s/%s/%s", pc.CompanyName, pc.Title, pc.StartedOn, pc.EndedOn))
			}
			return strings.Join(out, ",")
		}
		if got := past(); got != "" {
			t.Fatalf("a new contact has past companies: %q", got)
		}
		// Moving to B: A becomes past, with the title held there; when the
		// person started at A is unknown (they were created there).
		if got := move(b.ID, "Engineer"); got.CompanySince != today {
			t.Fatalf("company_since = %q", got.CompanySince)
		}
		if got, want := past(), "Analytical/Analyst//"+today; got != want {
			t.Fatalf("after the move: %q, want %q", got, want)
		}
		// The move is in the same change's event, so on the timeline.
		var tl []records.Entry
		db.Read(ctx, func(tx *store.Tx) (err error) {
			tl, err = records.Timeline(tx, p.WorkspaceID, "contact", ada.ID, 5)
			return err
		})
		if !strings.Contains(tl[0].Summary, "company: Analytical → Babbage & Co") || !strings.Contains(tl[0].Summary, "past company: — → Analytical") {
			t.Fatalf("timeline: %q", tl[0].Summary)
		}
		// Changing other fields leaves the history alone; leaving B starts
		// B's stint on the day she joined it.
		title := "Lead engineer"
		db.Write(ctx, func(tx *store.Tx) error {
			_, err := records.UpdateContact(tx, p, ada.ID, records.ContactPatch{Title: &title}, 0)
			return err
		})
		move(0, "")
		if got, want := past(), "Babbage & Co/Lead engineer/"+today+"/"+today+",Analytical/Analyst//"+today; got != want {
			t.Fatalf("after leaving B: %q, want %q", got, want)
		}

		// Former people of A: Ada, until she came back.
		former := func(co crm.ID) string {
			var fs []records.FormerPerson
			if err := db.Read(ctx, func(tx *store.Tx) (err error) { fs, err = records.FormerPeople(tx, p, co, 50); return err }); err != nil {
				t.Fatal(err)
			}
			var out []string
			for _, f := range fs {
				out = append(out, f.Name+"/"+f.Title)
			}
			return strings.Join(out, ",")
		}
		if got := former(a.ID); got != "Ada King/Analyst" {
			t.Fatalf("former people of A = %q", got)
		}
		move(a.ID, "Analyst")
		if got := former(a.ID); got != "" {
			t.Fatalf("a returning person is current, not former: %q", got)
		}

		// Adding, correcting and removing past companies by hand.
		var added records.PastCompany
		s, e := "2019-01-01", "2018-12-31"
		err = db.Write(ctx, func(tx *store.Tx) error {
			_, err := records.AddPastCompany(tx, p, ada.ID, records.PastCompanyInput{CompanyID: &c.ID, StartedOn: &s, EndedOn: &e})
			return err
		})
		if f := crm.ErrorFields(err); f["ended_on"] == "" {
			t.Fatalf("end before start: %v", err)
		}
		bad := "31/12/2018"
		err = db.Write(ctx, func(tx *store.Tx) error {
			_, err := records.AddPastCompany(tx, p, ada.ID, records.PastCompanyInput{CompanyID: &c.ID, StartedOn: &bad})
			return err
		})
		if crm.ErrorFields(err)["started_on"] == "" {
			t.Fatalf("bad date: %v", err)
		}
		elsewhere := owner(t, db, crm.RoleAdmin)
		var foreign records.Company
		db.Write(ctx, func(tx *store.Tx) (err error) {
			foreign, err = records.CreateCompany(tx, elsewhere, records.NewCompany{Name: "Foreign"})
			return err
		})
		err = db.Write(ctx, func(tx *store.Tx) error {
			_, err := records.AddPastCompany(tx, p, ada.ID, records.PastCompanyInput{CompanyID: &foreign.ID})
			return err
		})
		if crm.ErrorFields(err)["company_id"] == "" {
			t.Fatalf("another workspace's company: %v", err)
		}
		e = "2020-06-30"
		role := "Clerk"
		err = db.Write(ctx, func(tx *store.Tx) (err error) {
			added, err = records.AddPastCompany(tx, p, ada.ID, records.PastCompanyInput{CompanyID: &c.ID, Title: &role, StartedOn: &s, EndedOn: &e})
			return err
		})
		if err != nil || added.CompanyName != "Crown" {
			t.Fatalf("add: %+v %v", added, err)
		}
		role = "Senior clerk"
		err = db.Write(ctx, func(tx *store.Tx) error {
			_, err := records.UpdatePastCompany(tx, p, ada.ID, added.ID, records.PastCompanyInput{Title: &role})
			return err
		})
		if err != nil || !strings.HasSuffix(past(), "Crown/Senior clerk/2019-01-01/2020-06-30") {
			t.Fatalf("update: %q %v", past(), err)
		}
		// Another workspace cannot touch it; a stranger's id is not found.
		err = db.Write(ctx, func(tx *store.Tx) error { return records.RemovePastCompany(tx, elsewhere, ada.ID, added.ID) })
		if crm.ErrorCode(err) != crm.NotFound {
			t.Fatalf("cross-workspace remove: %v", err)
		}
		err = db.Write(ctx, func(tx *store.Tx) error { return records.RemovePastCompany(tx, p, ada.ID, added.ID) })
		if err != nil || strings.Contains(past(), "Crown") {
			t.Fatalf("remove: %q %v", past(), err)
		}
		db.Read(ctx, func(tx *store.Tx) (err error) {
			tl, err = records.Timeline(tx, p.WorkspaceID, "contact", ada.ID, 3)
			return err
		})
		if !strings.Contains(tl[0].Summary, "past company: Crown → —") || !strings.Contains(tl[1].Summary, "past company title: Clerk → Senior clerk") {
			t.Fatalf("timeline of edits: %q / %q", tl[0].Summary, tl[1].Summary)
		}

		// Merging moves the other contact's past companies.
		var dup records.Contact
		err = db.Write(ctx, func(tx *store.Tx) (err error) {
			if dup, err = records.CreateContact(tx, p, records.NewContact{FirstName: "Ada", LastName: "Lovelace", CompanyID: c.ID}); err != nil {
				return err
			}
			zero := crm.ID(0)
			if _, err = records.UpdateContact(tx, p, dup.ID, records.ContactPatch{CompanyID: &zero}, 0); err != nil {
				return err
			}
			_, err = records.MergeContacts(tx, p, ada.ID, dup.ID, nil)
			return err
		})
		if err != nil || !strings.HasPrefix(past(), "Crown//") {
			t.Fatalf("after merge: %q %v", past(), err)
		}
	})
}

// TestSearchVisibility: search answers with what the asker may see, from
// the search query itself — many invisible matches do not crowd out the
// visible ones, and nothing of another member's leaks under "own".
func TestSearchVisibility(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		people := visibilityWorkspace(t, db)
		ann, ben, admin := people["ann"], people["ben"], people["admin"]
		err := db.Write(ctx, func(tx *store.Tx) error {
			for i := 0; i < 30; i++ {
				if _, err := records.CreateContact(tx, ben, records.NewContact{FirstName: "Zelda", LastName: fmt.Sprintf("Ben%02d", i)}); err != nil {
					return err
				}
			}
			if _, err := records.CreateCompany(tx, ben, records.NewCompany{Name: "Zelda Works", Domains: []string{"zw.example", "zelda.example"}}); err != nil {
				return err
			}
			if _, err := records.CreateContact(tx, ann, records.NewContact{FirstName: "Zelda", LastName: "Ann", Email: "zelda@ann.example"}); err != nil {
				return err
			}
			_, err := records.CreateCompany(tx, ann, records.NewCompany{Name: "Ann's Zelda Shop", Domains: []string{"shop.example", "zelda-shop.example"}})
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		find := func(p crm.Principal, q string) []records.Result {
			var rs []records.Result
			if err := db.Read(ctx, func(tx *store.Tx) (err error) { rs, err = records.Search(tx, p, q, 10); return err }); err != nil {
				t.Fatal(err)
			}
			return rs
		}
		titles := func(rs []records.Result) string {
			var out []string
			for _, r := range rs {
				out = append(out, r.Title)
			}
			return strings.Join(out, ",")
		}
		for _, q := range []string{"zelda", "Zelad", "zelda-shop.example"} {
			for _, r := range find(ann, q) {
				if strings.Contains(r.Title, "Ben") || r.Title == "Zelda Works" {
					t.Errorf("ann searching %q sees ben's %q", q, r.Title)
				}
			}
		}
		if got := titles(find(ann, "zelda")); !strings.Contains(got, "Zelda Ann") || !strings.Contains(got, "Ann's Zelda Shop") {
			t.Errorf("ann's own records crowded out: %q", got)
		}
		if rs := find(ann, "zelda ann"); len(rs) == 0 || rs[0].Title != "Zelda Ann" || rs[0].Subtitle != "zelda@ann.example" {
			t.Errorf("ann's contact with its subtitle: %+v", rs)
		}
		if got := titles(find(ann, "zelda-shop.example")); !strings.HasPrefix(got, "Ann's Zelda Shop") {
			t.Errorf("ann by her company's second domain: %q", got)
		}
		if got := titles(find(ann, "zelda.example")); strings.Contains(got, "Zelda Works") {
			t.Errorf("ann finds ben's company by its domain: %q", got)
		}
		if got := find(admin, "zelda"); len(got) != 10 {
			t.Errorf("admin sees everything, a full page: %d hits", len(got))
		}
		if got := titles(find(admin, "zelda.example")); !strings.HasPrefix(got, "Zelda Works") {
			t.Errorf("admin by ben's second domain: %q", got)
		}
	})
}

// visibilityWorkspace is a workspace where members see only their own
// records: an admin and two members, ann and ben.
func visibilityWorkspace(t *testing.T, db *store.DB) map[string]crm.Principal {
	t.Helper()
	people := map[string]crm.Principal{}
	err := db.Write(context.Background(), func(tx *store.Tx) error {
		ws, err := account.CreateWorkspace(tx, "Own", crm.System)
		if err != nil {
			return err
		}
		for name, role := range map[string]crm.Role{"admin": crm.RoleAdmin, "ann": crm.RoleMember, "ben": crm.RoleMember} {
			u, err := account.CreateUser(tx, account.NewUser{Email: fmt.Sprintf("%s@%d.test", name, ws.ID), Name: name, Password: "a long enough phrase"})
			if err != nil {
				return err
			}
			if err := account.AddMember(tx, ws.ID, u.ID, role, crm.System); err != nil {
				return err
			}
			people[name] = crm.Principal{UserID: u.ID, WorkspaceID: ws.ID, Role: role}
		}
		return account.SetMemberVisibility(tx, people["admin"], account.SeeOwn)
	})
	if err != nil {
		t.Fatal(err)
	}
	return people
}

// TestCompanyLinksFollowVisibility: a member links a contact, now or in
// the past, only to a company they may see (a hidden one is "No such
// company", as if it did not exist); a link someone else made to a company
// hidden from them stays through their other edits.
func TestCompanyLinksFollowVisibility(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		people := visibilityWorkspace(t, db)
		ann, ben := people["ann"], people["ben"]
		var hidden, mine records.Company
		var c records.Contact
		err := db.Write(ctx, func(tx *store.Tx) (err error) {
			if hidden, err = records.CreateCompany(tx, ben, records.NewCompany{Name: "Ben's Secret Ltd"}); err != nil {
				return err
			}
			if mine, err = records.CreateCompany(tx, ann, records.NewCompany{Name: "Ann's Shop"}); err != nil {
				return err
			}
			c, err = records.CreateContact(tx, ann, records.NewContact{FirstName: "Cleo"})
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		refused := func(what string, fn func(tx *store.Tx) error) {
			t.Helper()
			err := db.Write(ctx, fn)
			if msg := crm.ErrorFields(err)["company_id"]; msg != "No such company." {
				t.Errorf("%s: %v", what, err)
			}
		}
		refused("a new contact at a hidden company", func(tx *store.Tx) error {
			_, err := records.CreateContact(tx, ann, records.NewContact{FirstName: "Dot", CompanyID: hidden.ID})
			return err
		})
		refused("moving a contact to a hidden company", func(tx *store.Tx) error {
			_, err := records.UpdateContact(tx, ann, c.ID, records.ContactPatch{CompanyID: &hidden.ID}, 0)
			return err
		})
		refused("a hidden past company", func(tx *store.Tx) error {
			_, err := records.AddPastCompany(tx, ann, c.ID, records.PastCompanyInput{CompanyID: &hidden.ID})
			return err
		})
		// Linked by someone who sees both, the link survives Ann's edits.
		admin := people["admin"]
		err = db.Write(ctx, func(tx *store.Tx) error {
			if _, err := records.UpdateContact(tx, admin, c.ID, records.ContactPatch{CompanyID: &hidden.ID}, 0); err != nil {
				return err
			}
			title := "Buyer"
			if _, err := records.UpdateContact(tx, ann, c.ID, records.ContactPatch{Title: &title}, 0); err != nil {
				return fmt.Errorf("editing a contact linked to a hidden company: %w", err)
			}
			_, err := records.AddPastCompany(tx, ann, c.ID, records.PastCompanyInput{CompanyID: &mine.ID})
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
	})
}
