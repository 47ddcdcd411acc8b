package account_test

import (
	"context"
	"strings"
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

// TestOnlyArgon2idHashesStored reads the whole password column after every
// way a password is set (setup, create, invitation, reset, change).
func TestOnlyArgon2idHashesStored(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		pw := "a long enough phrase"
		var p crm.Principal
		db.Write(ctx, func(tx *store.Tx) error {
			tok, _ := account.NewSetupToken(tx)
			ws, u, err := account.Setup(tx, account.SetupInput{Token: tok, Workspace: "H", NewUser: account.NewUser{Email: "h@h.test", Name: "H", Password: pw}})
			if err != nil {
				return err
			}
			p = crm.Principal{UserID: u.ID, WorkspaceID: ws.ID, Role: crm.RoleOwner}
			_, token, err := account.Invite(tx, p, "i@h.test", crm.RoleMember)
			if err != nil {
				return err
			}
			if _, _, err := account.AcceptInvite(tx, token, "I", pw); err != nil {
				return err
			}
			reset, _, _ := account.RequestPasswordReset(tx, "i@h.test")
			if _, err := account.ResetPassword(tx, reset, "another long phrase", account.Client{}); err != nil {
				return err
			}
			return account.ChangePassword(tx, p, pw, "a third long phrase", "", account.Client{})
		})
		var hashes []string
		db.Read(ctx, func(tx *store.Tx) error {
			rows, err := tx.Query(`SELECT password_hash FROM users`)
			if err != nil {
				return err
			}
			defer rows.Close()
			for rows.Next() {
				var h string
				rows.Scan(&h)
				hashes = append(hashes, h)
			}
			return rows.Err()
		})
		if len(hashes) != 2 {
			t.Fatalf("%d users", len(hashes))
		}
		for _, h := range hashes {
			if !strings.HasPrefix(h, "$argon2id$v=19$m=") || strings.Contains(h, "phrase") {
				t.Fatalf("stored %q", h)
			}
		}
	})
}
