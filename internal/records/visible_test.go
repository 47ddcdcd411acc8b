package records_test

import (
	"context"
	"testing"

	"github.com/tandemcrm/tandem/internal/account"
	"github.com/tandemcrm/tandem/internal/crm"
	"github.com/tandemcrm/tandem/internal/records"
	"github.com/tandemcrm/tandem/internal/store"
	"github.com/tandemcrm/tandem/internal/store/testdb"
)

// TestVisibility checks who sees a member's contact under each rule, in
// lists and by id: owner/admin always; a manager of the member's team; a
// teammate under "team"; only the owner of the record under "own".
func TestVisibility(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		people := map[string]crm.Principal{}
		var contact crm.ID
		err := db.Write(ctx, func(tx *store.Tx) error {
			ws, _ := account.CreateWorkspace(tx, "V", crm.System)
			for name, role := range map[string]crm.Role{"admin": crm.RoleAdmin, "manager": crm.RoleManager,
				"ann": crm.RoleMember, "ben": crm.RoleMember, "cy": crm.RoleMember, "ro": crm.RoleReadOnly} {
				u, err := account.CreateUser(tx, account.NewUser{Email: name + "@v.test", Name: name, Password: "a long enough phrase"})
				if err != nil {
					return err
				}
				account.AddMember(tx, ws.ID, u.ID, role, crm.System)
				people[name] = crm.Principal{UserID: u.ID, WorkspaceID: ws.ID, Role: role}
			}
			team, err := account.CreateTeam(tx, people["admin"], "East", people["manager"].UserID)
			if err != nil {
				return err
			}
			for _, n := range []string{"ann", "ben", "ro"} {
				if err := account.AddToTeam(tx, people["admin"], team.ID, people[n].UserID); err != nil {
					return err
				}
			}
			c, err := records.CreateContact(tx, people["ann"], records.NewContact{FirstName: "Secret"})
			contact = c.ID
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		sees := func(who string) bool {
			var listed, byID bool
			db.Read(ctx, func(tx *store.Tx) error {
				page, err := records.QueryContacts(tx, people[who], records.ListQuery{})
				if err != nil {
					t.Fatal(err)
				}
				listed = len(page.Items) == 1
				_, err = records.ViewContact(tx, people[who], contact)
				byID = err == nil
				return nil
			})
			if listed != byID {
				t.Fatalf("%s: list says %v, by id %v", who, listed, byID)
			}
			return listed
		}
		want := map[account.Visibility]map[string]bool{
			account.SeeAll:  {"admin": true, "manager": true, "ann": true, "ben": true, "cy": true, "ro": true},
			account.SeeTeam: {"admin": true, "manager": true, "ann": true, "ben": true, "cy": false, "ro": true},
			account.SeeOwn:  {"admin": true, "manager": true, "ann": true, "ben": false, "cy": false, "ro": false},
		}
		for _, rule := range []account.Visibility{account.SeeAll, account.SeeTeam, account.SeeOwn} {
			if err := db.Write(ctx, func(tx *store.Tx) error { return account.SetMemberVisibility(tx, people["admin"], rule) }); err != nil {
				t.Fatal(err)
			}
			for who, ok := range want[rule] {
				if got := sees(who); got != ok {
					t.Errorf("rule %s: %s sees ann's contact = %v, want %v", rule, who, got, ok)
				}
			}
		}
		// Under "own", ben cannot change ann's contact either: not found.
		title := "x"
		err = db.Write(ctx, func(tx *store.Tx) error {
			_, err := records.UpdateContact(tx, people["ben"], contact, records.ContactPatch{Title: &title}, 0)
			return err
		})
		if crm.ErrorCode(err) != crm.NotFound {
			t.Fatalf("ben updated an invisible contact: %v", err)
		}
	})
}
