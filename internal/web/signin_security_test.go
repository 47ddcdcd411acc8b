package web_test

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/pquerna/otp/totp"

	"github.com/tandemcrm/tandem/internal/account"
	"github.com/tandemcrm/tandem/internal/crm"
	"github.com/tandemcrm/tandem/internal/store"
	"github.com/tandemcrm/tandem/internal/store/testdb"
	"github.com/tandemcrm/tandem/internal/web"
)

// twoFactorSetup makes a first workspace whose owner tess@2fa.test has a
// second factor on, and returns her browser (signed out), her TOTP secret
// and a function that gives the current code.
func twoFactorSetup(t *testing.T, db *store.DB, srv http.Handler, now *time.Time) (*browser, func() string) {
	t.Helper()
	b := &browser{t: t, h: srv, cookies: map[string]*http.Cookie{}, ip: "198.51.100.7"}
	var token string
	db.Write(context.Background(), func(tx *store.Tx) (err error) { token, err = account.NewSetupToken(tx); return err })
	b.do("POST", "/setup", url.Values{"token": {token}, "workspace": {"2FA Co"}, "name": {"Tess"},
		"email": {"tess@2fa.test"}, "password": {"a long enough phrase"}})
	page := b.do("POST", "/settings/2fa/start", url.Values{}).Body.String()
	secret := regexp.MustCompile(`<code class="mono">([A-Z2-7]+)</code>`).FindStringSubmatch(page)
	if secret == nil {
		t.Fatal("no secret on the enrolment page")
	}
	code := func() string {
		c, err := totp.GenerateCode(secret[1], *now)
		if err != nil {
			t.Fatal(err)
		}
		return c
	}
	if rec := b.do("POST", "/settings/2fa/confirm", url.Values{"code": {code()}}); rec.Code != 200 {
		t.Fatalf("confirm: %d", rec.Code)
	}
	// A second enrolment while the factor is on would let a stolen session
	// swap the factor for its own.
	if rec := b.do("POST", "/settings/2fa/start", url.Values{}); rec.Code != http.StatusConflict {
		t.Fatalf("re-enrolment while on: %d", rec.Code)
	}
	b.do("POST", "/logout", url.Values{})
	*now = now.Add(30 * time.Second)
	return b, code
}

// TestSecondFactorGuessesAreThrottled: a right password must not buy
// unlimited guesses at six digits.
func TestSecondFactorGuessesAreThrottled(t *testing.T) {
	now := time.Date(2026, 5, 5, 12, 0, 0, 0, time.UTC)
	db := testdb.NewSQLite(t, testdb.Options{Clock: func() time.Time { return now }})
	srv := web.NewServer(web.Deps{DB: db, Jobs: fakeJobs{}})
	_, code := twoFactorSetup(t, db, srv, &now)

	thief := &browser{t: t, h: srv, cookies: map[string]*http.Cookie{}, ip: "203.0.113.66"}
	if rec := thief.do("POST", "/login", url.Values{"email": {"tess@2fa.test"}, "password": {"a long enough phrase"}}); rec.Code != 303 {
		t.Fatalf("password step: %d", rec.Code)
	}
	for i := range 6 {
		if rec := thief.do("POST", "/login/2fa", url.Values{"code": {"000000"}}); rec.Code != http.StatusUnauthorized {
			t.Fatalf("wrong code %d: %d", i+1, rec.Code)
		}
	}
	// Six failures: even the right code now waits.
	rec := thief.do("POST", "/login/2fa", url.Values{"code": {code()}})
	if rec.Code != http.StatusTooManyRequests || thief.cookies[account.SessionCookie] != nil {
		t.Fatalf("right code while throttled: %d", rec.Code)
	}
	if !strings.Contains(rec.Body.String(), "Too many failed attempts") {
		t.Fatal("the wait is not explained")
	}
	now = now.Add(2 * time.Second)
	if rec := thief.do("POST", "/login/2fa", url.Values{"code": {code()}}); rec.Code != 303 || thief.cookies[account.SessionCookie] == nil {
		t.Fatalf("right code after the wait: %d", rec.Code)
	}
	// Recovery codes are accepted without their hyphen too (tested in the
	// account package); the counter was cleared by the complete sign-in.
	var n int
	db.Read(context.Background(), func(tx *store.Tx) error {
		return tx.QueryRow(`SELECT count(*) FROM signin_throttle WHERE key LIKE 'e:%'`).Scan(&n)
	})
	if n != 0 {
		t.Fatalf("%d email counters left after a complete sign-in", n)
	}
}

// TestKnownDeviceIsNotLockedOut: someone failing against a victim's email
// from elsewhere slows only themselves; the victim's usual browser signs in.
func TestKnownDeviceIsNotLockedOut(t *testing.T) {
	now := time.Date(2026, 5, 5, 12, 0, 0, 0, time.UTC)
	db := testdb.NewSQLite(t, testdb.Options{Clock: func() time.Time { return now }})
	srv := web.NewServer(web.Deps{DB: db, Jobs: fakeJobs{}})
	tess, code := twoFactorSetup(t, db, srv, &now)
	signIn := func(b *browser) *http.Cookie {
		b.do("POST", "/login", url.Values{"email": {"tess@2fa.test"}, "password": {"a long enough phrase"}})
		b.do("POST", "/login/2fa", url.Values{"code": {code()}})
		return b.cookies[account.SessionCookie]
	}
	if signIn(tess) == nil || tess.cookies["tandem_device"] == nil {
		t.Fatal("no session or device cookie after a complete sign-in")
	}
	tess.do("POST", "/logout", url.Values{})
	now = now.Add(30 * time.Second)

	attacker := &browser{t: t, h: srv, cookies: map[string]*http.Cookie{}, ip: "203.0.113.99"}
	for range 10 {
		attacker.do("POST", "/login", url.Values{"email": {"tess@2fa.test"}, "password": {"guess"}})
	}
	if rec := attacker.do("POST", "/login", url.Values{"email": {"tess@2fa.test"}, "password": {"a long enough phrase"}}); rec.Code != http.StatusTooManyRequests {
		t.Fatalf("attacker not throttled: %d", rec.Code)
	}
	// A new browser of Tess's is throttled like anyone else…
	fresh := &browser{t: t, h: srv, cookies: map[string]*http.Cookie{}, ip: "198.51.100.8"}
	if rec := fresh.do("POST", "/login", url.Values{"email": {"tess@2fa.test"}, "password": {"a long enough phrase"}}); rec.Code != http.StatusTooManyRequests {
		t.Fatalf("unknown browser during the attack: %d", rec.Code)
	}
	// …but her known one is not, and still needs the second factor.
	if signIn(tess) == nil {
		t.Fatal("the known browser was locked out")
	}
}

// TestInviteLinkCannotOpenAnExistingAccount: the inviter sees the link too;
// following it must not sign anyone in as the invited account without its
// password and second factor.
func TestInviteLinkCannotOpenAnExistingAccount(t *testing.T) {
	now := time.Date(2026, 5, 5, 12, 0, 0, 0, time.UTC)
	db := testdb.NewSQLite(t, testdb.Options{Clock: func() time.Time { return now }})
	srv := web.NewServer(web.Deps{DB: db, Jobs: fakeJobs{}})
	_, code := twoFactorSetup(t, db, srv, &now)

	// Mallory owns another workspace and invites Tess's address.
	var token string
	ok(t, db.Write(context.Background(), func(tx *store.Tx) error {
		ws, err := account.CreateWorkspace(tx, "Mallory Co", crm.System)
		if err != nil {
			return err
		}
		m, err := account.CreateUser(tx, account.NewUser{Email: "mallory@m.test", Name: "Mallory", Password: "mallory's long phrase"})
		if err != nil {
			return err
		}
		if err := account.AddMember(tx, ws.ID, m.ID, crm.RoleOwner, crm.System); err != nil {
			return err
		}
		_, token, err = account.Invite(tx, crm.Principal{UserID: m.ID, WorkspaceID: ws.ID, Role: crm.RoleOwner}, "tess@2fa.test", crm.RoleMember)
		return err
	}))
	mallory := &browser{t: t, h: srv, cookies: map[string]*http.Cookie{}, ip: "203.0.113.5"}
	page := mallory.do("GET", "/invite?token="+token, nil).Body.String()
	if !strings.Contains(page, `name="password"`) || !strings.Contains(page, "Confirm with your password") {
		t.Fatal("the accept page of an existing account does not ask for its password")
	}
	for _, pw := range []string{"", "wrong guess"} {
		rec := mallory.do("POST", "/invite", url.Values{"token": {token}, "name": {"x"}, "password": {pw}})
		if rec.Code != http.StatusUnprocessableEntity || mallory.cookies[account.SessionCookie] != nil {
			t.Fatalf("accept with password %q: %d", pw, rec.Code)
		}
	}
	// Even with the password, the second factor is still asked.
	rec := mallory.do("POST", "/invite", url.Values{"token": {token}, "password": {"a long enough phrase"}})
	if rec.Code != 303 || !strings.HasPrefix(rec.Header().Get("Location"), "/login/2fa") || mallory.cookies[account.SessionCookie] != nil {
		t.Fatalf("accept with the password: %d %s", rec.Code, rec.Header().Get("Location"))
	}
	if rec := mallory.do("GET", "/", nil); rec.Code != 303 {
		t.Fatalf("signed in without the second factor: %d", rec.Code)
	}
	if rec := mallory.do("POST", "/login/2fa", url.Values{"code": {code()}}); rec.Code != 303 || mallory.cookies[account.SessionCookie] == nil {
		t.Fatalf("code after accepting: %d", rec.Code)
	}
	// Her password did not change.
	ok(t, db.Read(context.Background(), func(tx *store.Tx) error {
		_, _, err := account.SignIn(tx, "tess@2fa.test", "a long enough phrase")
		return err
	}))
}

func ok(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}
