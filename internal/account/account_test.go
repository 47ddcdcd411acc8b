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

func TestMain(m *testing.M) { testdb.Main(m) }

func TestPasswordHashing(t *testing.T) {
	h, err := account.HashPassword("correct horse battery")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(h, "$argon2id$v=19$m=65536,t=2,p=2$") {
		t.Fatalf("hash %q is not an argon2id PHC string", h)
	}
	if !account.CheckPassword(h, "correct horse battery") || account.CheckPassword(h, "correct horse batterz") {
		t.Fatal("CheckPassword wrong")
	}
	for _, bad := range []string{"", "$argon2id$v=19$m=0,t=0,p=0$x$y", "$2a$10$abc"} {
		if account.CheckPassword(bad, "x") {
			t.Fatalf("malformed hash %q accepted", bad)
		}
	}
}

func TestValidatePassword(t *testing.T) {
	cases := map[string]bool{
		"short":                  false,
		"password123":            false,
		"sam@example.com":        false,
		"a long enough phrase":   true,
		strings.Repeat("x", 64):  true,
		strings.Repeat("y", 300): false,
	}
	for pw, ok := range cases {
		if got := account.ValidatePassword(pw, "sam@example.com") == ""; got != ok {
			t.Errorf("ValidatePassword(%.20q) ok=%v, want %v", pw, got, ok)
		}
	}
}

func TestSetupSpendsTokenOnce(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		var token string
		if err := db.Write(ctx, func(tx *store.Tx) (err error) { token, err = account.NewSetupToken(tx); return err }); err != nil || token == "" {
			t.Fatalf("token %q err %v", token, err)
		}
		in := account.SetupInput{Token: token, Workspace: "Acme Sales",
			NewUser: account.NewUser{Email: "Owner@Example.com", Name: "Olivia Owner", Password: "short"}}
		// Invalid input: field errors, and the token survives (the tx rolled back).
		err := db.Write(ctx, func(tx *store.Tx) error { _, _, err := account.Setup(tx, in); return err })
		if f := crm.ErrorFields(err); f["password"] == "" {
			t.Fatalf("want a password field error, got %v", err)
		}
		in.Password = "a long enough phrase"
		var ws crm.Workspace
		var u crm.User
		if err := db.Write(ctx, func(tx *store.Tx) (err error) { ws, u, err = account.Setup(tx, in); return err }); err != nil {
			t.Fatal(err)
		}
		if u.Email != "owner@example.com" || ws.Name != "Acme Sales" {
			t.Fatalf("got %+v %+v", u, ws)
		}
		// The token is spent; no new one is issued once a user exists.
		err = db.Write(ctx, func(tx *store.Tx) error { _, _, err := account.Setup(tx, in); return err })
		if crm.ErrorCode(err) != crm.NotFound {
			t.Fatalf("second setup: %v", err)
		}
		if err := db.Write(ctx, func(tx *store.Tx) (err error) { token, err = account.NewSetupToken(tx); return err }); err != nil || token != "" {
			t.Fatalf("token after setup %q err %v", token, err)
		}
		// The workspace has its default pipeline, and the hash column holds only argon2id.
		err = db.Read(ctx, func(tx *store.Tx) error {
			var stages int
			if err := tx.QueryRow(`SELECT count(*) FROM stages WHERE workspace_id = ?`, ws.ID).Scan(&stages); err != nil {
				return err
			}
			if stages != len(account.DefaultStages) {
				t.Errorf("stages = %d", stages)
			}
			var hash, role string
			if err := tx.QueryRow(`SELECT password_hash FROM users WHERE id = ?`, u.ID).Scan(&hash); err != nil {
				return err
			}
			if !strings.HasPrefix(hash, "$argon2id$") || strings.Contains(hash, in.Password) {
				t.Errorf("stored hash %q", hash)
			}
			return tx.QueryRow(`SELECT role FROM memberships WHERE workspace_id = ? AND user_id = ?`, ws.ID, u.ID).Scan(&role)
		})
		if err != nil {
			t.Fatal(err)
		}
	})
}
