package account_test

import (
	"context"
	"testing"

	"github.com/tandemcrm/tandem/internal/account"
	"github.com/tandemcrm/tandem/internal/crm"
	"github.com/tandemcrm/tandem/internal/store"
	"github.com/tandemcrm/tandem/internal/store/testdb"
)

func TestTeams(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		people, mate, _ := accessCast(t, db) // East (managed) and West exist
		admin, manager := people[crm.RoleAdmin], people[crm.RoleManager]
		outsider := twoFactorUser(t, db)
		create := func(p crm.Principal, name string, mgr crm.ID) (account.Team, error) {
			var team account.Team
			err := db.Write(ctx, func(tx *store.Tx) (err error) { team, err = account.CreateTeam(tx, p, name, mgr); return err })
			return team, err
		}
		for _, c := range []struct {
			name, team string
			p          crm.Principal
			mgr        crm.ID
			want       string
		}{
			{"a manager", "North", manager, 0, "forbidden"},
			{"no name", "  ", admin, 0, "field:name"},
			{"a taken name", "East", admin, 0, "field:name"},
			{"an outside manager", "North", admin, outsider.UserID, "field:manager_id"},
		} {
			if _, err := create(c.p, c.team, c.mgr); outcomeOf(err) != c.want {
				t.Errorf("%s: %v, want %s", c.name, err, c.want)
			}
		}
		north, err := create(admin, " North ", manager.UserID)
		if err != nil || north.Name != "North" {
			t.Fatalf("create: %+v %v", north, err)
		}
		add := func(p crm.Principal, team, user crm.ID) error {
			return db.Write(ctx, func(tx *store.Tx) error { return account.AddToTeam(tx, p, team, user) })
		}
		must(t, add(admin, north.ID, mate))
		must(t, add(admin, north.ID, mate)) // twice is once
		if err := add(manager, north.ID, mate); crm.ErrorCode(err) != crm.Forbidden {
			t.Errorf("manager added to a team: %v", err)
		}
		if err := add(admin, north.ID, outsider.UserID); crm.ErrorCode(err) != crm.NotFound {
			t.Errorf("outsider added: %v", err)
		}
		if err := add(outsider, north.ID, outsider.UserID); crm.ErrorCode(err) != crm.NotFound {
			t.Errorf("another workspace's team: %v", err)
		}
		var teams []account.Team
		must(t, db.Read(ctx, func(tx *store.Tx) (err error) { teams, err = account.ListTeams(tx, admin.WorkspaceID); return err }))
		if len(teams) != 3 || teams[1].Name != "North" || len(teams[1].Members) != 1 || teams[1].ManagerID != manager.UserID {
			t.Fatalf("teams %+v", teams)
		}
		must(t, db.Read(ctx, func(tx *store.Tx) error {
			evs, err := tx.Events(admin.WorkspaceID, "team", north.ID, 5)
			if err == nil && len(evs) == 0 {
				t.Error("no team event")
			}
			return err
		}))
		if err := db.Write(ctx, func(tx *store.Tx) error { return account.SetMemberVisibility(tx, manager, account.SeeOwn) }); crm.ErrorCode(err) != crm.Forbidden {
			t.Errorf("manager set visibility: %v", err)
		}
		if err := db.Write(ctx, func(tx *store.Tx) error { return account.SetMemberVisibility(tx, admin, "some") }); outcomeOf(err) != "field:visibility" {
			t.Errorf("unknown rule: %v", err)
		}
		var v account.Visibility
		must(t, db.Read(ctx, func(tx *store.Tx) (err error) { v, err = account.MemberVisibility(tx, admin.WorkspaceID); return err }))
		if v != account.SeeAll {
			t.Errorf("default visibility %q, want all", v)
		}
	})
}
