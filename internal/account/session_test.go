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

func TestSessionLifecycle(t *testing.T) {
	now := time.Date(2026, 2, 1, 8, 0, 0, 0, time.UTC)
	db := testdb.NewSQLite(t, testdb.Options{Clock: func() time.Time { return now }})
	ctx := context.Background()
	var u crm.User
	var ws crm.Workspace
	var a, b string
	err := db.Write(ctx, func(tx *store.Tx) (err error) {
		if ws, err = account.CreateWorkspace(tx, "S", crm.System); err != nil {
			return err
		}
		if u, err = account.CreateUser(tx, account.NewUser{Email: "s@example.com", Name: "S", Password: "a long enough phrase"}); err != nil {
			return err
		}
		if err = account.AddMember(tx, ws.ID, u.ID, crm.RoleMember, crm.System); err != nil {
			return err
		}
		if a, err = account.CreateSession(tx, u.ID, ws.ID, "10.0.0.1", "Firefox"); err != nil {
			return err
		}
		b, err = account.CreateSession(tx, u.ID, ws.ID, "10.0.0.2", "Safari")
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	lookup := func(token string) (crm.Principal, error) {
		var p crm.Principal
		err := db.Read(ctx, func(tx *store.Tx) (err error) { p, _, err = account.LookupSession(tx, token); return err })
		return p, err
	}
	if p, err := lookup(a); err != nil || p.UserID != u.ID || p.WorkspaceID != ws.ID || p.Role != crm.RoleMember {
		t.Fatalf("lookup = %+v, %v", p, err)
	}
	if _, err := lookup("forged"); crm.ErrorCode(err) != crm.Unauthorized {
		t.Fatalf("forged token: %v", err)
	}
	// Listing marks the current one; revoking the other signs it out.
	var list []account.ListedSession
	db.Read(ctx, func(tx *store.Tx) (err error) { list, err = account.ListSessions(tx, u.ID, a); return err })
	if len(list) != 2 || list[0].Current == list[1].Current {
		t.Fatalf("sessions = %+v", list)
	}
	other := list[0].ID
	if list[0].Current {
		other = list[1].ID
	}
	if err := db.Write(ctx, func(tx *store.Tx) error { return account.RevokeSession(tx, u.ID, other) }); err != nil {
		t.Fatal(err)
	}
	if _, err := lookup(b); err == nil {
		t.Fatal("revoked session still signs in")
	}
	// Idle for longer than the idle timeout: signed out.
	now = now.Add(account.IdleTimeout + time.Minute)
	if _, err := lookup(a); err == nil {
		t.Fatal("idle session still valid")
	}
}

func TestAbsoluteTimeout(t *testing.T) {
	now := time.Date(2026, 2, 1, 8, 0, 0, 0, time.UTC)
	db := testdb.NewSQLite(t, testdb.Options{Clock: func() time.Time { return now }})
	ctx := context.Background()
	var token string
	db.Write(ctx, func(tx *store.Tx) error {
		ws, _ := account.CreateWorkspace(tx, "T", crm.System)
		u, _ := account.CreateUser(tx, account.NewUser{Email: "t@example.com", Name: "T", Password: "a long enough phrase"})
		account.AddMember(tx, ws.ID, u.ID, crm.RoleOwner, crm.System)
		token, _ = account.CreateSession(tx, u.ID, ws.ID, "", "")
		return nil
	})
	// Active every day, but past the absolute limit it ends all the same.
	for now.Before(time.Date(2026, 3, 5, 0, 0, 0, 0, time.UTC)) {
		now = now.Add(24 * time.Hour)
		err := db.Write(ctx, func(tx *store.Tx) error {
			if _, _, err := account.LookupSession(tx, token); err != nil {
				return err
			}
			return account.TouchSession(tx, token)
		})
		if err != nil {
			if now.Sub(time.Date(2026, 2, 1, 8, 0, 0, 0, time.UTC)) < account.AbsoluteTimeout {
				t.Fatalf("signed out early at %v: %v", now, err)
			}
			return
		}
	}
	t.Fatal("session outlived the absolute timeout")
}
