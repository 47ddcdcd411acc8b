package account_test

import (
	"context"
	"testing"

	"github.com/tandemcrm/tandem/internal/account"
	"github.com/tandemcrm/tandem/internal/crm"
	"github.com/tandemcrm/tandem/internal/store"
	"github.com/tandemcrm/tandem/internal/store/testdb"
)

func TestInviteAcceptRolesDeactivate(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		w := func(fn func(tx *store.Tx) error) error { return db.Write(ctx, fn) }
		var owner crm.Principal
		w(func(tx *store.Tx) error {
			ws, _ := account.CreateWorkspace(tx, "Team", crm.System)
			u, err := account.CreateUser(tx, account.NewUser{Email: "o@team.test", Name: "Olga", Password: "a long enough phrase"})
			if err != nil {
				return err
			}
			owner = crm.Principal{UserID: u.ID, WorkspaceID: ws.ID, Role: crm.RoleOwner}
			return account.AddMember(tx, ws.ID, u.ID, crm.RoleOwner, crm.System)
		})
		// Invite, re-invite (the first link dies), accept.
		var first, token string
		w(func(tx *store.Tx) (err error) {
			_, first, err = account.Invite(tx, owner, "Mia@Team.test", crm.RoleManager)
			return err
		})
		w(func(tx *store.Tx) (err error) {
			_, token, err = account.Invite(tx, owner, "mia@team.test", crm.RoleManager)
			return err
		})
		accept := func(tok, name, pw string) (crm.User, crm.ID, error) {
			var u crm.User
			var ws crm.ID
			err := w(func(tx *store.Tx) (err error) { u, ws, err = account.AcceptInvite(tx, tok, name, pw); return err })
			return u, ws, err
		}
		if _, _, err := accept(first, "Mia", "a long enough phrase"); crm.ErrorCode(err) != crm.NotFound {
			t.Fatalf("replaced invitation accepted: %v", err)
		}
		if _, _, err := accept(token, "Mia", "short"); crm.ErrorFields(err)["password"] == "" {
			t.Fatalf("weak password on accept: %v", err)
		}
		mia, ws, err := accept(token, "Mia", "a long enough phrase")
		if err != nil || ws != owner.WorkspaceID {
			t.Fatalf("accept: %v", err)
		}
		if _, _, err := accept(token, "Mia", "a long enough phrase"); crm.ErrorCode(err) != crm.NotFound {
			t.Fatalf("invitation used twice: %v", err)
		}
		manager := crm.Principal{UserID: mia.ID, WorkspaceID: ws, Role: crm.RoleManager}
		// A manager may invite members, not admins; nobody invites a member twice.
		err = w(func(tx *store.Tx) error {
			_, _, err := account.Invite(tx, manager, "x@team.test", crm.RoleAdmin)
			return err
		})
		if crm.ErrorFields(err)["role"] == "" {
			t.Fatalf("manager invited an admin: %v", err)
		}
		err = w(func(tx *store.Tx) error {
			_, _, err := account.Invite(tx, owner, "mia@team.test", crm.RoleMember)
			return err
		})
		if crm.ErrorFields(err)["email"] == "" {
			t.Fatalf("re-invited a member: %v", err)
		}
		// Roles: the last owner stays; managers cannot change roles.
		if err := w(func(tx *store.Tx) error { return account.ChangeRole(tx, owner, owner.UserID, crm.RoleAdmin) }); crm.ErrorFields(err)["role"] == "" {
			t.Fatalf("last owner demoted: %v", err)
		}
		if err := w(func(tx *store.Tx) error { return account.ChangeRole(tx, manager, owner.UserID, crm.RoleMember) }); crm.ErrorCode(err) != crm.Forbidden {
			t.Fatalf("manager changed a role: %v", err)
		}
		// Deactivate: sessions end, records move, sign-in is refused.
		var session string
		w(func(tx *store.Tx) (err error) {
			session, err = account.CreateSession(tx, mia.ID, ws, "", "")
			return err
		})
		w(func(tx *store.Tx) error {
			_, err := tx.Exec(`INSERT INTO contacts (id, workspace_id, first_name, owner_id, created_at, updated_at) VALUES (?, ?, 'C', ?, 0, 0)`,
				tx.NewID(), ws, mia.ID)
			return err
		})
		var moved int64
		if err := w(func(tx *store.Tx) (err error) {
			moved, err = account.Deactivate(tx, owner, mia.ID, owner.UserID)
			return err
		}); err != nil || moved != 1 {
			t.Fatalf("deactivate: moved %d, %v", moved, err)
		}
		err = db.Read(ctx, func(tx *store.Tx) error { _, _, err := account.LookupSession(tx, session); return err })
		if crm.ErrorCode(err) != crm.Unauthorized {
			t.Fatalf("deactivated session still valid: %v", err)
		}
		err = db.Read(ctx, func(tx *store.Tx) error {
			_, _, err := account.SignIn(tx, "mia@team.test", "a long enough phrase")
			return err
		})
		if crm.ErrorCode(err) != crm.Forbidden {
			t.Fatalf("deactivated member signed in: %v", err)
		}
		var members []account.Member
		db.Read(ctx, func(tx *store.Tx) (err error) { members, err = account.ListMembers(tx, ws); return err })
		if len(members) != 2 || members[1].DeactivatedAt.IsZero() {
			t.Fatalf("members = %+v", members)
		}
	})
}
