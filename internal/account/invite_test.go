package account_test

import (
	"context"
	"testing"
	"time"

	"github.com/tandemcrm/tandem/internal/account"
	"github.com/tandemcrm/tandem/internal/crm"
	"github.com/tandemcrm/tandem/internal/store"
	"github.com/tandemcrm/tandem/internal/store/testdb"
)

// TestWhoMayInvite: owners and admins invite up to their own role; managers
// invite members and read-only users; members and read-only users invite no one.
func TestWhoMayInvite(t *testing.T) {
	db := testdb.New(t)
	people, _, _ := accessCast(t, db)
	// "+" allowed, "f" field error on role, "x" forbidden; columns follow crm.Roles.
	want := map[crm.Role]string{
		crm.RoleOwner:    "+++++",
		crm.RoleAdmin:    "f++++",
		crm.RoleManager:  "fff++",
		crm.RoleMember:   "xxxxx",
		crm.RoleReadOnly: "xxxxx",
	}
	for inviter, row := range want {
		for i, role := range crm.Roles {
			err := db.Write(context.Background(), func(tx *store.Tx) error {
				_, _, err := account.Invite(tx, people[inviter], "new-"+string(role)+"@m.test", role)
				return err
			})
			got := byte('+')
			switch {
			case crm.ErrorCode(err) == crm.Forbidden:
				got = 'x'
			case crm.ErrorFields(err)["role"] != "":
				got = 'f'
			case err != nil:
				got = '?'
			}
			if got != row[i] {
				t.Errorf("%s invites a %s: got %c, want %c (%v)", inviter, role, got, row[i], err)
			}
		}
	}
	err := db.Write(context.Background(), func(tx *store.Tx) error {
		_, _, err := account.Invite(tx, people[crm.RoleOwner], "not an email", crm.RoleMember)
		return err
	})
	if crm.ErrorFields(err)["email"] == "" {
		t.Fatalf("bad email: %v", err)
	}
}

func TestInvitationLifecycle(t *testing.T) {
	now := time.Date(2026, 4, 1, 10, 0, 0, 0, time.UTC)
	eachWithClock(t, &now, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		start := now
		defer func() { now = start }()
		owner := twoFactorUser(t, db)
		invite := func(email string) (account.Invitation, string) {
			var inv account.Invitation
			var token string
			must(t, db.Write(ctx, func(tx *store.Tx) (err error) {
				inv, token, err = account.Invite(tx, owner, email, crm.RoleMember)
				return err
			}))
			return inv, token
		}
		accept := func(token string) error {
			return db.Write(ctx, func(tx *store.Tx) error {
				_, _, err := account.AcceptInvite(tx, token, "New Person", "a long enough phrase")
				return err
			})
		}
		late, lateToken := invite("late@i.test")
		if !late.ExpiresAt.Equal(start.Add(7 * 24 * time.Hour)) {
			t.Fatalf("expires %v", late.ExpiresAt)
		}
		gone, goneToken := invite("gone@i.test")
		must(t, db.Write(ctx, func(tx *store.Tx) error { return account.RevokeInvitation(tx, owner, gone.ID) }))
		if err := accept(goneToken); crm.ErrorCode(err) != crm.NotFound {
			t.Fatalf("revoked invitation accepted: %v", err)
		}
		if err := db.Write(ctx, func(tx *store.Tx) error { return account.RevokeInvitation(tx, owner, gone.ID) }); crm.ErrorCode(err) != crm.NotFound {
			t.Fatalf("revoked twice: %v", err)
		}
		var list []account.Invitation
		must(t, db.Read(ctx, func(tx *store.Tx) (err error) { list, err = account.ListInvitations(tx, owner.WorkspaceID); return err }))
		if len(list) != 2 || list[0].ID != gone.ID || list[0].RevokedAt.IsZero() || !list[1].Pending(now) {
			t.Fatalf("list = %+v", list)
		}
		must(t, db.Read(ctx, func(tx *store.Tx) error {
			evs, err := tx.Events(owner.WorkspaceID, "invitation", gone.ID, 5)
			if err == nil && (len(evs) != 2 || evs[0].Action != crm.Deleted || evs[1].Action != crm.Created) {
				t.Errorf("invitation events %+v", evs)
			}
			return err
		}))
		now = start.Add(7*24*time.Hour + time.Second)
		if err := accept(lateToken); crm.ErrorCode(err) != crm.NotFound {
			t.Fatalf("expired invitation accepted: %v", err)
		}
	})
}

// TestExistingUserJoinsWithOwnPassword: a person who already has an account
// joins a second workspace as the same user: no second user is made, and
// neither their name nor their password changes.
func TestExistingUserJoinsWithOwnPassword(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		owner := twoFactorUser(t, db) // t@2fa.test, in workspace "2FA"
		var other crm.Principal
		var token string
		must(t, db.Write(ctx, func(tx *store.Tx) (err error) {
			ws, err := account.CreateWorkspace(tx, "Other", crm.System)
			if err != nil {
				return err
			}
			u, err := account.CreateUser(tx, account.NewUser{Email: "boss@o.test", Name: "Boss", Password: "a long enough phrase"})
			if err != nil {
				return err
			}
			other = crm.Principal{UserID: u.ID, WorkspaceID: ws.ID, Role: crm.RoleOwner}
			if err := account.AddMember(tx, ws.ID, u.ID, crm.RoleOwner, crm.System); err != nil {
				return err
			}
			_, token, err = account.Invite(tx, other, "T@2fa.test", crm.RoleMember)
			return err
		}))
		// The link alone proves nothing (the inviter sees it too): without the
		// account's own password nothing joins and the link stays usable.
		for _, pw := range []string{"", "the inviter's guess"} {
			err := db.Write(ctx, func(tx *store.Tx) error {
				_, _, err := account.AcceptInvite(tx, token, "Someone Else", pw)
				return err
			})
			if crm.ErrorFields(err)["password"] == "" {
				t.Fatalf("existing account joined with password %q: %v", pw, err)
			}
		}
		var joined crm.User
		var ws crm.ID
		must(t, db.Write(ctx, func(tx *store.Tx) (err error) {
			joined, ws, err = account.AcceptInvite(tx, token, "Someone Else", "a long enough phrase")
			return err
		}))
		if joined.ID != owner.UserID || joined.Name != "T" || ws != other.WorkspaceID {
			t.Fatalf("joined %+v in %v", joined, ws)
		}
		var choices []account.WorkspaceChoice
		must(t, db.Read(ctx, func(tx *store.Tx) (err error) { choices, err = account.UserWorkspaces(tx, owner.UserID); return err }))
		if len(choices) != 2 {
			t.Fatalf("workspaces %+v", choices)
		}
		must(t, db.Read(ctx, func(tx *store.Tx) error {
			var n int
			if err := tx.QueryRow(`SELECT count(*) FROM users WHERE email = ?`, "t@2fa.test").Scan(&n); err != nil || n != 1 {
				t.Errorf("%d users for the email (%v)", n, err)
			}
			_, _, err := account.SignIn(tx, "t@2fa.test", "a long enough phrase")
			return err
		}))
	})
}

// TestStaleInvitationKeepsRole: someone who became a member by another
// route keeps their role when an older invitation is followed.
func TestStaleInvitationKeepsRole(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		var owner crm.Principal
		var token string
		var u crm.User
		must(t, db.Write(ctx, func(tx *store.Tx) (err error) {
			ws, err := account.CreateWorkspace(tx, "Stale", crm.System)
			if err != nil {
				return err
			}
			o, err := account.CreateUser(tx, account.NewUser{Email: "own@s.test", Name: "Own", Password: "a long enough phrase"})
			if err != nil {
				return err
			}
			owner = crm.Principal{UserID: o.ID, WorkspaceID: ws.ID, Role: crm.RoleOwner}
			if err := account.AddMember(tx, ws.ID, o.ID, crm.RoleOwner, crm.System); err != nil {
				return err
			}
			if u, err = account.CreateUser(tx, account.NewUser{Email: "adm@s.test", Name: "Adm", Password: "another long phrase"}); err != nil {
				return err
			}
			if _, token, err = account.Invite(tx, owner, "adm@s.test", crm.RoleReadOnly); err != nil {
				return err
			}
			return account.AddMember(tx, ws.ID, u.ID, crm.RoleAdmin, crm.System)
		}))
		must(t, db.Write(ctx, func(tx *store.Tx) error {
			_, _, err := account.AcceptInvite(tx, token, "", "another long phrase")
			return err
		}))
		must(t, db.Read(ctx, func(tx *store.Tx) error {
			var role string
			var n int
			if err := tx.QueryRow(`SELECT role, count(*) FROM memberships WHERE workspace_id = ? AND user_id = ? GROUP BY role`,
				owner.WorkspaceID, u.ID).Scan(&role, &n); err != nil {
				return err
			}
			if role != string(crm.RoleAdmin) || n != 1 {
				t.Errorf("after a stale invitation: role %q in %d memberships, want admin in 1", role, n)
			}
			return nil
		}))
	})
}
