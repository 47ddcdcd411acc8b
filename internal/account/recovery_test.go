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

func TestPasswordReset(t *testing.T) {
	now := time.Now()
	testdb.EachWith(t, testdb.Options{Clock: func() time.Time { return now }}, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		var u crm.User
		var session string
		db.Write(ctx, func(tx *store.Tx) (err error) {
			ws, _ := account.CreateWorkspace(tx, "R", crm.System)
			u, err = account.CreateUser(tx, account.NewUser{Email: "r@example.com", Name: "R", Password: "a long enough phrase"})
			if err != nil {
				return err
			}
			account.AddMember(tx, ws.ID, u.ID, crm.RoleMember, crm.System)
			session, err = account.CreateSession(tx, u.ID, ws.ID, "", "")
			return err
		})
		var token, first string
		db.Write(ctx, func(tx *store.Tx) (err error) {
			first, _, err = account.RequestPasswordReset(tx, "R@example.com")
			return err
		})
		// A second request within the minute sends nothing (no inbox flooding).
		db.Write(ctx, func(tx *store.Tx) (err error) {
			token, _, err = account.RequestPasswordReset(tx, "r@example.com")
			return err
		})
		if first == "" || token != "" {
			t.Fatalf("tokens %q then %q within a minute", first, token)
		}
		now = now.Add(61 * time.Second)
		db.Write(ctx, func(tx *store.Tx) (err error) {
			token, _, err = account.RequestPasswordReset(tx, "r@example.com")
			return err
		})
		if token == "" || token == first {
			t.Fatal("no fresh token")
		}
		var none string
		db.Write(ctx, func(tx *store.Tx) (err error) {
			none, _, err = account.RequestPasswordReset(tx, "nobody@example.com")
			return err
		})
		if none != "" {
			t.Fatal("token for an unknown email")
		}
		reset := func(tok, pw string) error {
			return db.Write(ctx, func(tx *store.Tx) error { _, err := account.ResetPassword(tx, tok, pw, account.Client{}); return err })
		}
		if err := reset(first, "another long phrase"); crm.ErrorCode(err) != crm.NotFound {
			t.Fatalf("older token still works: %v", err)
		}
		if err := reset(token, "short"); crm.ErrorFields(err)["password"] == "" {
			t.Fatalf("weak password: %v", err)
		}
		if err := reset(token, "another long phrase"); err != nil {
			t.Fatal(err)
		}
		if err := reset(token, "a third long phrase"); crm.ErrorCode(err) != crm.NotFound {
			t.Fatalf("token reused: %v", err)
		}
		err := db.Read(ctx, func(tx *store.Tx) error { _, _, err := account.LookupSession(tx, session); return err })
		if crm.ErrorCode(err) != crm.Unauthorized {
			t.Fatalf("session survived a reset: %v", err)
		}
		err = db.Read(ctx, func(tx *store.Tx) error {
			_, _, err := account.SignIn(tx, "r@example.com", "another long phrase")
			return err
		})
		if err != nil {
			t.Fatalf("sign in with the new password: %v", err)
		}
	})
}

func TestResetTokenExpires(t *testing.T) {
	now := time.Date(2026, 4, 1, 10, 0, 0, 0, time.UTC)
	db := testdb.NewSQLite(t, testdb.Options{Clock: func() time.Time { return now }})
	ctx := context.Background()
	var token string
	db.Write(ctx, func(tx *store.Tx) error {
		account.CreateUser(tx, account.NewUser{Email: "e@example.com", Name: "E", Password: "a long enough phrase"})
		token, _, _ = account.RequestPasswordReset(tx, "e@example.com")
		return nil
	})
	now = now.Add(61 * time.Minute)
	err := db.Write(ctx, func(tx *store.Tx) error {
		_, err := account.ResetPassword(tx, token, "another long phrase", account.Client{})
		return err
	})
	if crm.ErrorCode(err) != crm.NotFound {
		t.Fatalf("expired token: %v", err)
	}
}
