package account_test

import (
	"context"
	"testing"

	"github.com/tandemcrm/tandem/internal/account"
	"github.com/tandemcrm/tandem/internal/crm"
	"github.com/tandemcrm/tandem/internal/store"
	"github.com/tandemcrm/tandem/internal/store/testdb"
)

// accessCast is a workspace with one person per role. The manager manages
// team East; the member and the read-only user are in East with "mate";
// "stranger" is in West. For each role, "own" is a record of their own,
// "mate" one of mate's, "stranger" one of stranger's.
func accessCast(t *testing.T, db *store.DB) (map[crm.Role]crm.Principal, crm.ID, crm.ID) {
	t.Helper()
	people := map[crm.Role]crm.Principal{}
	var mate, stranger crm.ID
	must(t, db.Write(context.Background(), func(tx *store.Tx) error {
		ws, err := account.CreateWorkspace(tx, "Matrix", crm.System)
		if err != nil {
			return err
		}
		add := func(name string, role crm.Role) (crm.ID, error) {
			u, err := account.CreateUser(tx, account.NewUser{Email: name + "@m.test", Name: name, Password: "a long enough phrase"})
			if err != nil {
				return 0, err
			}
			return u.ID, account.AddMember(tx, ws.ID, u.ID, role, crm.System)
		}
		for _, r := range crm.Roles {
			id, err := add(string(r), r)
			if err != nil {
				return err
			}
			people[r] = crm.Principal{UserID: id, WorkspaceID: ws.ID, Role: r}
		}
		if mate, err = add("mate", crm.RoleMember); err != nil {
			return err
		}
		if stranger, err = add("stranger", crm.RoleMember); err != nil {
			return err
		}
		admin := people[crm.RoleAdmin]
		east, err := account.CreateTeam(tx, admin, "East", people[crm.RoleManager].UserID)
		if err != nil {
			return err
		}
		west, err := account.CreateTeam(tx, admin, "West", 0)
		if err != nil {
			return err
		}
		for _, u := range []crm.ID{people[crm.RoleMember].UserID, people[crm.RoleReadOnly].UserID, mate} {
			if err := account.AddToTeam(tx, admin, east.ID, u); err != nil {
				return err
			}
		}
		return account.AddToTeam(tx, admin, west.ID, stranger)
	}))
	return people, mate, stranger
}

// TestAccessMatrix: each cell is three outcomes for (own, mate, stranger):
// "+" allowed, "4" not found (the record is not visible), "x" forbidden.
func TestAccessMatrix(t *testing.T) {
	type row struct {
		rule                                        account.Visibility
		role                                        crm.Role
		view, create, update, delete, export, admin string
	}
	var (
		all, team, own                          = account.SeeAll, account.SeeTeam, account.SeeOwn
		owner, admin, manager, member, readonly = crm.RoleOwner, crm.RoleAdmin, crm.RoleManager, crm.RoleMember, crm.RoleReadOnly
	)
	matrix := []row{
		{all, owner, "+++", "+++", "+++", "+++", "+++", "+++"},
		{all, admin, "+++", "+++", "+++", "+++", "+++", "+++"},
		{all, manager, "+++", "+++", "+++", "+++", "+++", "xxx"},
		{all, member, "+++", "+++", "+++", "+++", "xxx", "xxx"},
		{all, readonly, "+++", "xxx", "xxx", "xxx", "xxx", "xxx"},

		{team, owner, "+++", "+++", "+++", "+++", "+++", "+++"},
		{team, admin, "+++", "+++", "+++", "+++", "+++", "+++"},
		{team, manager, "++4", "++x", "++4", "++4", "++4", "xxx"},
		{team, member, "++4", "++x", "++4", "++4", "xx4", "xxx"},
		{team, readonly, "++4", "xxx", "xx4", "xx4", "xx4", "xxx"},

		{own, owner, "+++", "+++", "+++", "+++", "+++", "+++"},
		{own, admin, "+++", "+++", "+++", "+++", "+++", "+++"},
		{own, manager, "++4", "++x", "++4", "++4", "++4", "xxx"}, // a manager keeps the teams they manage
		{own, member, "+44", "+xx", "+44", "+44", "x44", "xxx"},
		{own, readonly, "+44", "xxx", "x44", "x44", "x44", "xxx"},
	}
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		people, mate, stranger := accessCast(t, db)
		for _, r := range matrix {
			must(t, db.Write(ctx, func(tx *store.Tx) error { return account.SetMemberVisibility(tx, people[crm.RoleOwner], r.rule) }))
			p := people[r.role]
			owners := []crm.ID{p.UserID, mate, stranger}
			for action, want := range map[account.Action]string{account.ActView: r.view, account.ActCreate: r.create,
				account.ActUpdate: r.update, account.ActDelete: r.delete, account.ActExport: r.export, account.ActAdmin: r.admin} {
				for i, whose := range []string{"own", "mate", "stranger"} {
					var err error
					must(t, db.Read(ctx, func(tx *store.Tx) error { err = account.Can(tx, p, action, owners[i]); return nil }))
					if got := outcome(err); got != want[i] {
						t.Errorf("rule %s, %s %s %s record: got %c, want %c (%v)", r.rule, r.role, action, whose, got, want[i], err)
					}
					if action != account.ActView {
						continue
					}
					var seen bool
					must(t, db.Read(ctx, func(tx *store.Tx) (err error) { seen, err = account.CanView(tx, p, owners[i]); return err }))
					if seen != (want[i] == '+') {
						t.Errorf("rule %s, %s CanView %s = %v", r.rule, r.role, whose, seen)
					}
				}
			}
		}
	})
}

// TestManagerSeesTheirOwnTeam: under the "team" rule a manager who belongs
// to a team (without managing it) sees its records, as its members do;
// under "own" only the teams they manage.
func TestManagerSeesTheirOwnTeam(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		people, _, stranger := accessCast(t, db)
		owner, manager := people[crm.RoleOwner], people[crm.RoleManager]
		must(t, db.Write(ctx, func(tx *store.Tx) error {
			teams, err := account.ListTeams(tx, owner.WorkspaceID)
			if err != nil {
				return err
			}
			for _, tm := range teams {
				if tm.Name == "West" {
					return account.AddToTeam(tx, owner, tm.ID, manager.UserID)
				}
			}
			t.Fatal("no team West")
			return nil
		}))
		for rule, want := range map[account.Visibility]bool{account.SeeTeam: true, account.SeeOwn: false} {
			must(t, db.Write(ctx, func(tx *store.Tx) error { return account.SetMemberVisibility(tx, owner, rule) }))
			var seen bool
			must(t, db.Read(ctx, func(tx *store.Tx) (err error) { seen, err = account.CanView(tx, manager, stranger); return err }))
			if seen != want {
				t.Errorf("rule %s: manager sees a teammate's record = %v, want %v", rule, seen, want)
			}
		}
	})
}

func outcome(err error) byte {
	switch crm.ErrorCode(err) {
	case "":
		return '+'
	case crm.NotFound:
		return '4'
	case crm.Forbidden:
		return 'x'
	}
	return '?'
}

func TestCanRefusesTheSignedOut(t *testing.T) {
	db := testdb.New(t)
	err := db.Read(context.Background(), func(tx *store.Tx) error {
		return account.Can(tx, crm.Principal{}, account.ActView, 1)
	})
	if crm.ErrorCode(err) != crm.Unauthorized {
		t.Fatalf("no principal: %v", err)
	}
}
