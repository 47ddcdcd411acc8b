package account_test

import (
	"bytes"
	"context"
	"errors"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/pquerna/otp/totp"

	"github.com/tandemcrm/tandem/internal/account"
	"github.com/tandemcrm/tandem/internal/crm"
	"github.com/tandemcrm/tandem/internal/store"
	"github.com/tandemcrm/tandem/internal/store/testdb"
)

// fakeSealer reverses and prefixes: not encryption, but never the identity,
// so a test can see that the stored value is not the secret.
type fakeSealer struct{}

func (fakeSealer) SealString(context, plaintext string) (string, error) {
	return "sealed:" + context + ":" + reverse(plaintext), nil
}

func (fakeSealer) OpenString(context, sealed string) (string, error) {
	rest, ok := strings.CutPrefix(sealed, "sealed:"+context+":")
	if !ok {
		return "", errors.New("fake sealer: wrong context")
	}
	return reverse(rest), nil
}

func reverse(s string) string {
	r := []rune(s)
	for i, j := 0, len(r)-1; i < j; i, j = i+1, j-1 {
		r[i], r[j] = r[j], r[i]
	}
	return string(r)
}

// eachWithClock is testdb.Each with a clock the test moves.
func eachWithClock(t *testing.T, now *time.Time, fn func(t *testing.T, db *store.DB)) {
	o := testdb.Options{Clock: func() time.Time { return *now }}
	t.Run("sqlite", func(t *testing.T) { fn(t, testdb.NewSQLite(t, o)) })
	t.Run("postgres", func(t *testing.T) { fn(t, testdb.NewPostgres(t, o)) })
}

// twoFactorUser makes a workspace owner and returns them.
func twoFactorUser(t *testing.T, db *store.DB) crm.Principal {
	t.Helper()
	var p crm.Principal
	must(t, db.Write(context.Background(), func(tx *store.Tx) error {
		ws, err := account.CreateWorkspace(tx, "2FA", crm.System)
		if err != nil {
			return err
		}
		u, err := account.CreateUser(tx, account.NewUser{Email: "t@2fa.test", Name: "T", Password: "a long enough phrase"})
		if err != nil {
			return err
		}
		p = crm.Principal{UserID: u.ID, WorkspaceID: ws.ID, Role: crm.RoleOwner, Email: u.Email}
		return account.AddMember(tx, ws.ID, u.ID, crm.RoleOwner, crm.System)
	}))
	return p
}

func codeAt(t *testing.T, secret string, at time.Time) string {
	t.Helper()
	c, err := totp.GenerateCode(secret, at)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func TestTOTPEnrolment(t *testing.T) {
	now := time.Date(2026, 4, 1, 10, 0, 5, 0, time.UTC)
	eachWithClock(t, &now, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		p := twoFactorUser(t, db)
		var e account.Enrolment
		must(t, db.Write(ctx, func(tx *store.Tx) (err error) {
			e, err = account.StartTOTP(tx, p.UserID, p.Email, fakeSealer{})
			return err
		}))
		if !strings.HasPrefix(e.URL, "otpauth://totp/") || !strings.Contains(e.URL, "secret="+e.Secret) {
			t.Fatalf("url %q", e.URL)
		}
		if !bytes.HasPrefix(e.QRPNG, []byte("\x89PNG")) {
			t.Fatal("QR is not a PNG")
		}
		must(t, db.Read(ctx, func(tx *store.Tx) error {
			var stored string
			if err := tx.QueryRow(`SELECT totp_secret FROM users WHERE id = ?`, p.UserID).Scan(&stored); err != nil {
				return err
			}
			if stored == "" || strings.Contains(stored, e.Secret) {
				t.Errorf("secret stored in clear: %q", stored)
			}
			return nil
		}))
		// Not on until a code from the new secret is seen.
		verify := func(code string) error {
			return db.Write(ctx, func(tx *store.Tx) error { return account.VerifySecondFactor(tx, p.UserID, code, fakeSealer{}) })
		}
		if err := verify(codeAt(t, e.Secret, now)); crm.ErrorCode(err) != crm.Invalid {
			t.Fatalf("unconfirmed factor accepted at sign-in: %v", err)
		}
		confirm := func(code string) ([]string, error) {
			var codes []string
			err := db.Write(ctx, func(tx *store.Tx) (err error) {
				codes, err = account.ConfirmTOTP(tx, p, code, fakeSealer{}, account.Client{})
				return err
			})
			return codes, err
		}
		if _, err := confirm("000000"); crm.ErrorFields(err)["code"] == "" {
			t.Fatalf("wrong first code: %v", err)
		}
		codes, err := confirm(codeAt(t, e.Secret, now))
		if err != nil {
			t.Fatal(err)
		}
		checkRecoveryCodes(t, db, p.UserID, codes)
		var on bool
		must(t, db.Read(ctx, func(tx *store.Tx) (err error) { on, err = account.TwoFactorOn(tx, p.UserID); return err }))
		if !on {
			t.Fatal("confirmed factor not on")
		}
	})
}

func checkRecoveryCodes(t *testing.T, db *store.DB, user crm.ID, codes []string) {
	t.Helper()
	shape := regexp.MustCompile(`^[a-z2-9]{5}-[a-z2-9]{5}$`)
	seen := map[string]bool{}
	for _, c := range codes {
		if !shape.MatchString(c) || seen[c] {
			t.Errorf("recovery code %q malformed or repeated", c)
		}
		seen[c] = true
	}
	if len(codes) != 10 {
		t.Fatalf("%d recovery codes", len(codes))
	}
	must(t, db.Read(context.Background(), func(tx *store.Tx) error {
		var n int
		err := tx.QueryRow(`SELECT count(*) FROM recovery_codes WHERE user_id = ? AND code_hash = ?`, user, codes[0]).Scan(&n)
		if n != 0 {
			t.Error("recovery code stored in clear")
		}
		return err
	}))
}

// TestTOTPWindowAndReplay: a code is good one step either side of now, and
// each step is good once, never again nor any step before it.
func TestTOTPWindowAndReplay(t *testing.T) {
	now := time.Date(2026, 4, 1, 10, 0, 5, 0, time.UTC)
	eachWithClock(t, &now, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		start := now
		defer func() { now = start }()
		p := twoFactorUser(t, db)
		secret := enableTOTP(t, db, p, now)
		step := 30 * time.Second
		verify := func(at time.Time) bool {
			err := db.Write(ctx, func(tx *store.Tx) error {
				return account.VerifySecondFactor(tx, p.UserID, codeAt(t, secret, at), fakeSealer{})
			})
			if err != nil && crm.ErrorCode(err) != crm.Invalid {
				t.Fatal(err)
			}
			return err == nil
		}
		now = start.Add(2 * step)
		for _, c := range []struct {
			name string
			at   time.Time
			ok   bool
		}{
			{"the confirming step again", start, false},
			{"one step back", now.Add(-step), true},
			{"one step back, replayed", now.Add(-step), false},
			{"two steps ahead", now.Add(2 * step), false},
			{"now", now, true},
			{"now, replayed", now, false},
			{"one step ahead", now.Add(step), true},
			{"now, after a later step", now, false},
		} {
			if got := verify(c.at); got != c.ok {
				t.Errorf("%s: accepted=%v, want %v", c.name, got, c.ok)
			}
		}
	})
}

func enableTOTP(t *testing.T, db *store.DB, p crm.Principal, now time.Time) string {
	t.Helper()
	var e account.Enrolment
	ctx := context.Background()
	must(t, db.Write(ctx, func(tx *store.Tx) (err error) {
		e, err = account.StartTOTP(tx, p.UserID, p.Email, fakeSealer{})
		return err
	}))
	must(t, db.Write(ctx, func(tx *store.Tx) error {
		_, err := account.ConfirmTOTP(tx, p, codeAt(t, e.Secret, now), fakeSealer{}, account.Client{})
		return err
	}))
	return e.Secret
}

func TestRecoveryCodesAndDisable(t *testing.T) {
	now := time.Date(2026, 4, 1, 10, 0, 5, 0, time.UTC)
	eachWithClock(t, &now, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		p := twoFactorUser(t, db)
		var e account.Enrolment
		var codes []string
		must(t, db.Write(ctx, func(tx *store.Tx) (err error) {
			e, err = account.StartTOTP(tx, p.UserID, p.Email, fakeSealer{})
			return err
		}))
		must(t, db.Write(ctx, func(tx *store.Tx) (err error) {
			codes, err = account.ConfirmTOTP(tx, p, codeAt(t, e.Secret, now), fakeSealer{}, account.Client{})
			return err
		}))
		verify := func(code string) error {
			return db.Write(ctx, func(tx *store.Tx) error { return account.VerifySecondFactor(tx, p.UserID, code, fakeSealer{}) })
		}
		if err := verify(" " + strings.ToUpper(codes[3]) + " "); err != nil {
			t.Fatalf("recovery code (typed in capitals, with spaces): %v", err)
		}
		if err := verify(codes[3]); crm.ErrorCode(err) != crm.Invalid {
			t.Fatalf("recovery code used twice: %v", err)
		}
		if err := verify(strings.ReplaceAll(codes[4], "-", "")); err != nil {
			t.Fatalf("recovery code typed without its hyphen: %v", err)
		}
		if err := verify(strings.ReplaceAll(codes[4], "-", " ")); crm.ErrorCode(err) != crm.Invalid {
			t.Fatalf("recovery code reused in another spelling: %v", err)
		}
		if err := verify("zzzzz-zzzzz"); crm.ErrorCode(err) != crm.Invalid {
			t.Fatalf("made-up recovery code: %v", err)
		}
		// Turning it off needs the password; then codes and secret are gone.
		disable := func(pw string) error {
			return db.Write(ctx, func(tx *store.Tx) error { return account.DisableTOTP(tx, p, pw, account.Client{}) })
		}
		if err := disable("not my password"); crm.ErrorFields(err)["password"] == "" {
			t.Fatalf("disabled without the password: %v", err)
		}
		must(t, disable("a long enough phrase"))
		if err := verify(codes[4]); crm.ErrorCode(err) != crm.Invalid {
			t.Fatalf("recovery code outlived the factor: %v", err)
		}
		must(t, db.Read(ctx, func(tx *store.Tx) error {
			var secret string
			var n int
			if err := tx.QueryRow(`SELECT totp_secret FROM users WHERE id = ?`, p.UserID).Scan(&secret); err != nil {
				return err
			}
			if err := tx.QueryRow(`SELECT count(*) FROM recovery_codes WHERE user_id = ?`, p.UserID).Scan(&n); err != nil {
				return err
			}
			if secret != "" || n != 0 {
				t.Errorf("after disable: secret %q, %d recovery codes", secret, n)
			}
			return nil
		}))
	})
}

func TestRequire2FAAndNeedsSecondFactor(t *testing.T) {
	now := time.Date(2026, 4, 1, 10, 0, 5, 0, time.UTC)
	eachWithClock(t, &now, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		owner := twoFactorUser(t, db)
		need := func() account.SecondFactorNeed {
			var n account.SecondFactorNeed
			must(t, db.Read(ctx, func(tx *store.Tx) (err error) {
				n, err = account.NeedsSecondFactor(tx, owner.UserID, owner.WorkspaceID)
				return err
			}))
			return n
		}
		if n := need(); n != account.NoSecondFactor {
			t.Fatalf("fresh user needs %v", n)
		}
		admin := owner
		admin.Role = crm.RoleAdmin
		if err := db.Write(ctx, func(tx *store.Tx) error { return account.SetRequire2FA(tx, admin, true) }); crm.ErrorCode(err) != crm.Forbidden {
			t.Fatalf("an admin required 2FA: %v", err)
		}
		must(t, db.Write(ctx, func(tx *store.Tx) error { return account.SetRequire2FA(tx, owner, true) }))
		if n := need(); n != account.MustEnrol {
			t.Fatalf("required but not enrolled: %v", n)
		}
		enableTOTP(t, db, owner, now)
		if n := need(); n != account.AskCode {
			t.Fatalf("enrolled: %v", n)
		}
		must(t, db.Read(ctx, func(tx *store.Tx) error {
			evs, err := tx.Events(owner.WorkspaceID, "workspace", owner.WorkspaceID, 5)
			if err == nil && (len(evs) == 0 || evs[0].Changes["require_2fa"].After != true) {
				t.Errorf("no require_2fa event: %+v", evs)
			}
			return err
		}))
		err := db.Read(ctx, func(tx *store.Tx) error { _, err := account.NeedsSecondFactor(tx, owner.UserID, 12345); return err })
		if crm.ErrorCode(err) != crm.NotFound {
			t.Fatalf("unknown workspace: %v", err)
		}
	})
}

func TestSignInChallengeExpires(t *testing.T) {
	now := time.Date(2026, 4, 1, 10, 0, 5, 0, time.UTC)
	eachWithClock(t, &now, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		start := now
		defer func() { now = start }()
		p := twoFactorUser(t, db)
		var token string
		must(t, db.Write(ctx, func(tx *store.Tx) (err error) {
			token, err = account.CreateChallenge(tx, p.UserID, p.WorkspaceID)
			return err
		}))
		lookup := func() error {
			return db.Read(ctx, func(tx *store.Tx) error {
				u, ws, err := account.ChallengeUser(tx, token)
				if err == nil && (u != p.UserID || ws != p.WorkspaceID) {
					t.Errorf("challenge for %v in %v", u, ws)
				}
				return err
			})
		}
		must(t, lookup())
		now = start.Add(5*time.Minute + time.Second)
		if err := lookup(); crm.ErrorCode(err) != crm.Unauthorized {
			t.Fatalf("expired challenge: %v", err)
		}
		now = start
		must(t, db.Write(ctx, func(tx *store.Tx) error { return account.SpendChallenge(tx, token) }))
		if err := lookup(); crm.ErrorCode(err) != crm.Unauthorized {
			t.Fatalf("spent challenge: %v", err)
		}
	})
}
