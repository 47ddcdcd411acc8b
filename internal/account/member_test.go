package account_test

import (
	"context"
	"testing"

	"github.com/tandemcrm/tandem/internal/account"
	"github.com/tandemcrm/tandem/internal/crm"
	"github.com/tandemcrm/tandem/internal/store"
	"github.com/tandemcrm/tandem/internal/store/testdb"
)

// outcomeOf names an error for tables: "ok", "forbidden", "not_found" or
// the first field with a message.
func outcomeOf(err error) string {
	if err == nil {
		return "ok"
	}
	for f := range crm.ErrorFields(err) {
		return "field:" + f
	}
	return string(crm.ErrorCode(err))
}

func TestChangeRoleRules(t *testing.T) {
	cases := []struct {
		name         string
		actor, other crm.Role // other: the target's role before
		to           crm.Role
		want         string
	}{
		{"owner promotes a member to owner", crm.RoleOwner, crm.RoleMember, crm.RoleOwner, "ok"},
		{"owner demotes an admin", crm.RoleOwner, crm.RoleAdmin, crm.RoleReadOnly, "ok"},
		{"admin promotes a member to admin", crm.RoleAdmin, crm.RoleMember, crm.RoleAdmin, "ok"},
		{"admin cannot make an owner", crm.RoleAdmin, crm.RoleMember, crm.RoleOwner, "forbidden"},
		{"admin cannot demote an owner", crm.RoleAdmin, crm.RoleOwner, crm.RoleMember, "forbidden"},
		{"manager cannot change roles", crm.RoleManager, crm.RoleMember, crm.RoleReadOnly, "forbidden"},
		{"member cannot change roles", crm.RoleMember, crm.RoleReadOnly, crm.RoleMember, "forbidden"},
		{"unknown role", crm.RoleOwner, crm.RoleMember, crm.Role("boss"), "field:role"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			db := testdb.New(t)
			people, _, _ := accessCast(t, db)
			err := db.Write(context.Background(), func(tx *store.Tx) error {
				return account.ChangeRole(tx, people[c.actor], people[c.other].UserID, c.to)
			})
			if got := outcomeOf(err); got != c.want {
				t.Fatalf("got %s, want %s (%v)", got, c.want, err)
			}
		})
	}
}

func TestChangeRoleEffects(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		people, _, _ := accessCast(t, db)
		owner, member := people[crm.RoleOwner], people[crm.RoleMember]
		var session string
		must(t, db.Write(ctx, func(tx *store.Tx) (err error) {
			session, err = account.CreateSession(tx, member.UserID, member.WorkspaceID, "", "")
			return err
		}))
		must(t, db.Write(ctx, func(tx *store.Tx) error { return account.ChangeRole(tx, owner, member.UserID, crm.RoleManager) }))
		err := db.Read(ctx, func(tx *store.Tx) error { _, _, err := account.LookupSession(tx, session); return err })
		if crm.ErrorCode(err) != crm.Unauthorized {
			t.Fatalf("session survived a role change: %v", err)
		}
		must(t, db.Read(ctx, func(tx *store.Tx) error {
			evs, err := tx.Events(owner.WorkspaceID, "membership", member.UserID, 1)
			if err == nil && (len(evs) != 1 || evs[0].Changes["role"].Before != "member" || evs[0].Changes["role"].After != "manager") {
				t.Errorf("role event %+v", evs)
			}
			return err
		}))
		// The last owner stays one; another workspace's user is not found.
		err = db.Write(ctx, func(tx *store.Tx) error { return account.ChangeRole(tx, owner, owner.UserID, crm.RoleAdmin) })
		if outcomeOf(err) != "field:role" {
			t.Fatalf("last owner demoted: %v", err)
		}
		stranger := twoFactorUser(t, db)
		err = db.Write(ctx, func(tx *store.Tx) error { return account.ChangeRole(tx, owner, stranger.UserID, crm.RoleMember) })
		if crm.ErrorCode(err) != crm.NotFound {
			t.Fatalf("another workspace's user: %v", err)
		}
	})
}

func TestDeactivateHandsOverEverything(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		people, mate, _ := accessCast(t, db)
		owner, leaver := people[crm.RoleOwner], people[crm.RoleMember]
		var key, session string
		must(t, db.Write(ctx, func(tx *store.Tx) (err error) {
			for _, who := range []crm.ID{leaver.UserID, leaver.UserID, mate} {
				if err := ownEverything(tx, owner.WorkspaceID, who); err != nil {
					return err
				}
			}
			if _, key, err = account.CreateAPIKey(tx, leaver, account.NewAPIKey{Name: "script"}); err != nil {
				return err
			}
			session, err = account.CreateSession(tx, leaver.UserID, leaver.WorkspaceID, "", "")
			return err
		}))
		var moved int64
		must(t, db.Write(ctx, func(tx *store.Tx) (err error) {
			moved, err = account.Deactivate(tx, owner, leaver.UserID, owner.UserID)
			return err
		}))
		if moved != 8 {
			t.Fatalf("moved %d records, want 8", moved)
		}
		must(t, db.Read(ctx, func(tx *store.Tx) error {
			for _, table := range []string{"contacts", "companies", "deals", "activities"} {
				var left, mates int
				if err := tx.QueryRow(`SELECT count(*) FROM `+table+` WHERE workspace_id = ? AND owner_id = ?`, owner.WorkspaceID, leaver.UserID).Scan(&left); err != nil {
					return err
				}
				if err := tx.QueryRow(`SELECT count(*) FROM `+table+` WHERE workspace_id = ? AND owner_id = ?`, owner.WorkspaceID, mate).Scan(&mates); err != nil {
					return err
				}
				if left != 0 || mates != 1 {
					t.Errorf("%s: %d left with the leaver, %d with the teammate", table, left, mates)
				}
			}
			if _, _, err := account.AuthenticateAPIKey(tx, key); crm.ErrorCode(err) != crm.Unauthorized {
				t.Errorf("API key still works: %v", err)
			}
			if _, _, err := account.LookupSession(tx, session); crm.ErrorCode(err) != crm.Unauthorized {
				t.Errorf("session still works: %v", err)
			}
			evs, err := tx.Events(owner.WorkspaceID, "membership", leaver.UserID, 1)
			if err == nil && (len(evs) != 1 || evs[0].Changes["deactivated"].After != true) {
				t.Errorf("deactivation event %+v", evs)
			}
			return err
		}))
	})
}

// ownEverything gives who one record of each kind.
func ownEverything(tx *store.Tx, ws, who crm.ID) error {
	for _, q := range []string{
		`INSERT INTO contacts (id, workspace_id, first_name, owner_id, created_at, updated_at) VALUES (?, ?, 'C', ?, 0, 0)`,
		`INSERT INTO companies (id, workspace_id, name, owner_id, created_at, updated_at) VALUES (?, ?, 'Co', ?, 0, 0)`,
		`INSERT INTO deals (id, workspace_id, title, pipeline_id, stage_id, stage_entered_at, owner_id, created_at, updated_at)
			VALUES (?, ?, 'D', 0, 0, 0, ?, 0, 0)`,
		`INSERT INTO activities (id, workspace_id, type, title, owner_id, created_at, updated_at) VALUES (?, ?, 'task', 'A', ?, 0, 0)`,
	} {
		if _, err := tx.Exec(q, tx.NewID(), ws, who); err != nil {
			return err
		}
	}
	return nil
}

func TestDeactivateRefusals(t *testing.T) {
	db := testdb.New(t)
	people, mate, _ := accessCast(t, db)
	owner, admin, member := people[crm.RoleOwner], people[crm.RoleAdmin], people[crm.RoleMember]
	outsider := twoFactorUser(t, db)
	cases := []struct {
		name       string
		actor      crm.Principal
		user, heir crm.ID
		want       string
	}{
		{"a manager", people[crm.RoleManager], member.UserID, owner.UserID, "forbidden"},
		{"oneself", owner, owner.UserID, admin.UserID, "invalid"},
		{"an admin deactivating an owner", admin, owner.UserID, admin.UserID, "forbidden"},
		{"records handed to the leaver", owner, member.UserID, member.UserID, "field:reassign_to"},
		{"records handed to an outsider", owner, member.UserID, outsider.UserID, "field:reassign_to"},
		{"another workspace's user", owner, outsider.UserID, owner.UserID, "not_found"},
		{"an admin deactivating a member", admin, member.UserID, mate, "ok"},
		{"records handed to a deactivated member", owner, mate, member.UserID, "field:reassign_to"},
	}
	for _, c := range cases { // in order: the last case needs the one before
		err := db.Write(context.Background(), func(tx *store.Tx) error {
			_, err := account.Deactivate(tx, c.actor, c.user, c.heir)
			return err
		})
		if got := outcomeOf(err); got != c.want {
			t.Errorf("%s: got %s, want %s (%v)", c.name, got, c.want, err)
		}
	}
}
