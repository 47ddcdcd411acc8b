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
	"github.com/tandemcrm/tandem/internal/store"
	"github.com/tandemcrm/tandem/internal/store/testdb"
	"github.com/tandemcrm/tandem/internal/web"
)

func TestTwoFactor(t *testing.T) {
	now := time.Date(2026, 5, 5, 12, 0, 0, 0, time.UTC)
	db := testdb.NewSQLite(t, testdb.Options{Clock: func() time.Time { return now }})
	srv := web.NewServer(web.Deps{DB: db, Jobs: fakeJobs{}})
	b := &browser{t: t, h: srv, cookies: map[string]*http.Cookie{}}
	var token string
	db.Write(context.Background(), func(tx *store.Tx) (err error) { token, err = account.NewSetupToken(tx); return err })
	b.do("POST", "/setup", url.Values{"token": {token}, "workspace": {"2FA Co"}, "name": {"Tess"},
		"email": {"tess@2fa.test"}, "password": {"a long enough phrase"}})

	page := b.do("POST", "/settings/2fa/start", url.Values{}).Body.String()
	secret := regexp.MustCompile(`<code class="mono">([A-Z2-7]+)</code>`).FindStringSubmatch(page)
	if secret == nil || !strings.Contains(page, `src="data:image/png;base64,`) {
		i := strings.Index(page, `id="content"`)
		t.Fatalf("enrol page lacks secret or QR:\n%.1500s", page[max(i, 0):])
	}
	code := func() string {
		c, err := totp.GenerateCode(secret[1], now)
		if err != nil {
			t.Fatal(err)
		}
		return c
	}
	if rec := b.do("POST", "/settings/2fa/confirm", url.Values{"code": {"000000"}}); rec.Code != 422 ||
		!strings.Contains(rec.Body.String(), "not right") || !strings.Contains(rec.Body.String(), secret[1]) {
		t.Fatalf("wrong first code: %d", rec.Code)
	}
	// After a mistyped code the same secret is shown again: no rescan.
	rec := b.do("POST", "/settings/2fa/confirm", url.Values{"code": {code()}})
	codes := regexp.MustCompile(`<li>([a-z0-9]{5}-[a-z0-9]{5})</li>`).FindAllStringSubmatch(rec.Body.String(), -1)
	if len(codes) != 10 {
		i := strings.Index(rec.Body.String(), `id="content"`)
		t.Fatalf("recovery codes: %d %d\n%.900s", len(codes), rec.Code, rec.Body.String()[max(i, 0):])
	}
	b.do("POST", "/logout", url.Values{})

	signIn := func() {
		rec := b.do("POST", "/login", url.Values{"email": {"tess@2fa.test"}, "password": {"a long enough phrase"}})
		if rec.Code != 303 || !strings.HasPrefix(rec.Header().Get("Location"), "/login/2fa") || b.cookies[account.SessionCookie] != nil {
			t.Fatalf("password step: %d %s", rec.Code, rec.Header().Get("Location"))
		}
	}
	signIn()
	if rec := b.do("GET", "/", nil); rec.Code != 303 {
		t.Fatal("signed in before the second factor")
	}
	if rec := b.do("POST", "/login/2fa", url.Values{"code": {"123456"}}); rec.Code != 401 {
		t.Fatalf("wrong code: %d", rec.Code)
	}
	now = now.Add(30 * time.Second) // a fresh step: the confirm used the old one
	good := code()
	if rec := b.do("POST", "/login/2fa", url.Values{"code": {good}}); rec.Code != 303 || b.cookies[account.SessionCookie] == nil {
		t.Fatalf("right code: %d", rec.Code)
	}
	b.do("POST", "/logout", url.Values{})
	// The same code cannot be replayed; a recovery code works once.
	signIn()
	if rec := b.do("POST", "/login/2fa", url.Values{"code": {good}}); rec.Code != 401 {
		t.Fatalf("replayed code: %d", rec.Code)
	}
	if rec := b.do("POST", "/login/2fa", url.Values{"code": {codes[0][1]}}); rec.Code != 303 {
		t.Fatalf("recovery code: %d", rec.Code)
	}
	b.do("POST", "/logout", url.Values{})
	signIn()
	if rec := b.do("POST", "/login/2fa", url.Values{"code": {codes[0][1]}}); rec.Code != 401 {
		t.Fatalf("recovery code reused: %d", rec.Code)
	}
	// The TOTP seed is stored sealed, never in clear.
	var stored string
	db.Read(context.Background(), func(tx *store.Tx) error {
		return tx.QueryRow(`SELECT totp_secret FROM users WHERE email = 'tess@2fa.test'`).Scan(&stored)
	})
	if !strings.HasPrefix(stored, "v1:") || strings.Contains(stored, secret[1]) {
		t.Fatalf("stored secret %q", stored)
	}
}

func TestRequireTwoFactor(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		srv := web.NewServer(web.Deps{DB: db, Jobs: fakeJobs{}})
		b := &browser{t: t, h: srv, cookies: map[string]*http.Cookie{}}
		var token string
		db.Write(context.Background(), func(tx *store.Tx) (err error) { token, err = account.NewSetupToken(tx); return err })
		b.do("POST", "/setup", url.Values{"token": {token}, "workspace": {"Strict"}, "name": {"Sam"},
			"email": {"sam@strict.test"}, "password": {"a long enough phrase"}})
		if rec := b.do("POST", "/settings/2fa/require", url.Values{"on": {"true"}}); rec.Code != 303 {
			t.Fatalf("require: %d", rec.Code)
		}
		rec := b.do("GET", "/contacts", nil)
		if rec.Code != 303 || rec.Header().Get("Location") != "/settings/security" {
			t.Fatalf("member without 2FA reached contacts: %d %s", rec.Code, rec.Header().Get("Location"))
		}
		if rec := b.do("GET", "/settings/security", nil); rec.Code != 200 || !strings.Contains(rec.Body.String(), "requires two-factor") {
			t.Fatalf("security page: %d", rec.Code)
		}
	})
}
