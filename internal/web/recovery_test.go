package web_test

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/tandemcrm/tandem/internal/account"
	"github.com/tandemcrm/tandem/internal/store"
	"github.com/tandemcrm/tandem/internal/store/testdb"
	"github.com/tandemcrm/tandem/internal/sysmail"
	"github.com/tandemcrm/tandem/internal/web"
)

func TestForgotResetAndThrottle(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		srv := web.NewServer(web.Deps{DB: db, Jobs: fakeJobs{}})
		b := &browser{t: t, h: srv, cookies: map[string]*http.Cookie{}}
		var token string
		db.Write(context.Background(), func(tx *store.Tx) (err error) { token, err = account.NewSetupToken(tx); return err })
		b.do("POST", "/setup", url.Values{"token": {token}, "workspace": {"R Co"}, "name": {"Rae"},
			"email": {"rae@r.test"}, "password": {"a long enough phrase"}})
		b.do("POST", "/logout", url.Values{})

		// The same answer for a known and an unknown address; mail only for the known one.
		for _, email := range []string{"rae@r.test", "nobody@r.test"} {
			rec := b.do("POST", "/forgot", url.Values{"email": {email}})
			if rec.Code != 200 || !strings.Contains(rec.Body.String(), "If an account exists for") {
				t.Fatalf("forgot %s: %d", email, rec.Code)
			}
		}
		var mails []sysmail.Item
		db.Read(context.Background(), func(tx *store.Tx) (err error) { mails, err = sysmail.List(tx, 0, 10); return err })
		if len(mails) != 1 || mails[0].To != "rae@r.test" {
			t.Fatalf("outbox = %+v", mails)
		}
		link := regexp.MustCompile(`/reset\?token=[A-Za-z0-9_-]+`).FindString(mails[0].Text)
		if link == "" {
			t.Fatalf("no link in %q", mails[0].Text)
		}
		if rec := b.do("GET", link, nil); rec.Code != 200 || !strings.Contains(rec.Body.String(), "Choose a new password") {
			t.Fatalf("reset page: %d", rec.Code)
		}
		tok := strings.TrimPrefix(link, "/reset?token=")
		if rec := b.do("POST", "/reset", url.Values{"token": {tok}, "password": {"short"}}); rec.Code != 422 {
			t.Fatalf("weak reset: %d", rec.Code)
		}
		if rec := b.do("POST", "/reset", url.Values{"token": {tok}, "password": {"a brand new phrase"}}); rec.Code != 303 {
			t.Fatalf("reset: %d", rec.Code)
		}
		if rec := b.do("GET", link, nil); rec.Code != 404 || !strings.Contains(rec.Body.String(), "does not work") {
			t.Fatalf("spent link: %d", rec.Code)
		}
		// Wrong passwords: five free, then 429 with a wait, even for the right one.
		for i := 0; i < 6; i++ {
			b.do("POST", "/login", url.Values{"email": {"rae@r.test"}, "password": {"not my password"}})
		}
		rec := b.do("POST", "/login", url.Values{"email": {"rae@r.test"}, "password": {"a brand new phrase"}})
		if rec.Code != 429 || !strings.Contains(rec.Body.String(), "Too many failed attempts") {
			t.Fatalf("throttled sign-in: %d", rec.Code)
		}
	})
}

func TestRememberMe(t *testing.T) {
	db := testdb.New(t)
	srv := web.NewServer(web.Deps{DB: db, Jobs: fakeJobs{}})
	b := &browser{t: t, h: srv, cookies: map[string]*http.Cookie{}}
	var token string
	db.Write(context.Background(), func(tx *store.Tx) (err error) { token, err = account.NewSetupToken(tx); return err })
	b.do("POST", "/setup", url.Values{"token": {token}, "workspace": {"M"}, "name": {"Mel"}, "email": {"mel@m.test"}, "password": {"a long enough phrase"}})
	b.do("POST", "/logout", url.Values{})
	for _, remember := range []string{"", "1"} {
		rec := b.do("POST", "/login", url.Values{"email": {"mel@m.test"}, "password": {"a long enough phrase"}, "remember": {remember}})
		var c *http.Cookie
		for _, ck := range rec.Result().Cookies() {
			if ck.Name == account.SessionCookie {
				c = ck
			}
		}
		if c == nil || (remember == "") != c.Expires.IsZero() {
			t.Fatalf("remember=%q: cookie %+v", remember, c)
		}
	}
}

func TestChangePassword(t *testing.T) {
	db := testdb.New(t)
	srv := web.NewServer(web.Deps{DB: db, Jobs: fakeJobs{}})
	b := &browser{t: t, h: srv, cookies: map[string]*http.Cookie{}}
	other := &browser{t: t, h: srv, cookies: map[string]*http.Cookie{}}
	var token string
	db.Write(context.Background(), func(tx *store.Tx) (err error) { token, err = account.NewSetupToken(tx); return err })
	b.do("POST", "/setup", url.Values{"token": {token}, "workspace": {"P"}, "name": {"Pia"}, "email": {"pia@p.test"}, "password": {"a long enough phrase"}})
	other.do("POST", "/login", url.Values{"email": {"pia@p.test"}, "password": {"a long enough phrase"}, "remember": {"1"}})
	if rec := b.do("POST", "/settings/password", url.Values{"current_password": {"wrong one here"}, "new_password": {"a brand new phrase"}}); rec.Code != 422 ||
		!strings.Contains(rec.Body.String(), "not your current password") {
		t.Fatalf("wrong current password: %d", rec.Code)
	}
	if rec := b.do("POST", "/settings/password", url.Values{"current_password": {"a long enough phrase"}, "new_password": {"short"}}); rec.Code != 422 ||
		!strings.Contains(rec.Body.String(), "at least 10") {
		t.Fatalf("weak new password: %d", rec.Code)
	}
	if rec := b.do("POST", "/settings/password", url.Values{"current_password": {"a long enough phrase"}, "new_password": {"a brand new phrase"}}); rec.Code != 303 {
		t.Fatalf("change: %d", rec.Code)
	}
	if rec := b.do("GET", "/", nil); rec.Code != 200 {
		t.Fatalf("this device signed out: %d", rec.Code)
	}
	if rec := other.do("GET", "/", nil); rec.Code != 303 {
		t.Fatalf("other device still signed in: %d", rec.Code)
	}
}
