package web_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/tandemcrm/tandem/internal/account"
	"github.com/tandemcrm/tandem/internal/store"
	"github.com/tandemcrm/tandem/internal/store/testdb"
	"github.com/tandemcrm/tandem/internal/web"
)

// browser is a tiny cookie-keeping client for scenario tests.
type browser struct {
	t       *testing.T
	h       http.Handler
	cookies map[string]*http.Cookie
	ip      string // the client's address; httptest's default when empty
}

func (b *browser) do(method, path string, form url.Values, hdr ...string) *httptest.ResponseRecorder {
	b.t.Helper()
	var req *http.Request
	if form != nil {
		req = httptest.NewRequest(method, path, strings.NewReader(form.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	} else {
		req = httptest.NewRequest(method, path, nil)
	}
	for i := 0; i+1 < len(hdr); i += 2 {
		req.Header.Set(hdr[i], hdr[i+1])
	}
	if b.ip != "" {
		req.RemoteAddr = b.ip + ":4321"
	}
	for _, c := range b.cookies {
		req.AddCookie(c)
	}
	rec := httptest.NewRecorder()
	b.h.ServeHTTP(rec, req)
	for _, c := range rec.Result().Cookies() {
		if c.MaxAge < 0 {
			delete(b.cookies, c.Name)
		} else {
			b.cookies[c.Name] = c
		}
	}
	return rec
}

func TestUIScenarios(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		srv := web.NewServer(web.Deps{DB: db, Jobs: fakeJobs{}})
		b := &browser{t: t, h: srv, cookies: map[string]*http.Cookie{}}

		// Signed out: pages redirect to sign-in, keeping where you were going.
		if rec := b.do("GET", "/companies", nil); rec.Code != 303 || rec.Header().Get("Location") != "/login?next=%2Fcompanies" {
			t.Fatalf("anonymous /companies: %d %s", rec.Code, rec.Header().Get("Location"))
		}
		// Unknown paths: branded page for browsers, problem+json for API clients.
		rec := b.do("GET", "/no/such/page", nil, "Accept", "text/html")
		if rec.Code != 404 || !strings.Contains(rec.Body.String(), "Page not found") || !strings.Contains(rec.Header().Get("Content-Security-Policy"), "default-src 'self'") {
			t.Fatalf("404 page: %d %.200s", rec.Code, rec.Body.String())
		}
		rec = b.do("GET", "/no/such/page", nil, "Accept", "application/json")
		var prob map[string]any
		if json.Unmarshal(rec.Body.Bytes(), &prob); rec.Code != 404 || prob["code"] != "not_found" || rec.Header().Get("Content-Type") != "application/problem+json" {
			t.Fatalf("404 problem: %d %s", rec.Code, rec.Body.String())
		}

		// JSON clients are told 401 in problem+json, not redirected.
		rec = b.do("GET", "/companies", nil, "Accept", "application/json")
		if rec.Code != 401 || rec.Header().Get("Content-Type") != "application/problem+json" {
			t.Fatalf("anonymous JSON /companies: %d %s", rec.Code, rec.Header().Get("Content-Type"))
		}

		// Setup without a valid token is refused clearly.
		if rec := b.do("GET", "/setup", nil); rec.Code != 404 || !strings.Contains(rec.Body.String(), "does not work") {
			t.Fatalf("setup without token: %d", rec.Code)
		}
		var token string
		db.Write(context.Background(), func(tx *store.Tx) (err error) { token, err = account.NewSetupToken(tx); return err })
		form := url.Values{"token": {token}, "workspace": {"Acme"}, "name": {"Ann"}, "email": {"not-an-email"}, "password": {"short"}}
		rec = b.do("POST", "/setup", form)
		if rec.Code != 422 || !strings.Contains(rec.Body.String(), "Enter a valid email address") || !strings.Contains(rec.Body.String(), "at least 10 characters") || strings.Contains(rec.Body.String(), `value="short"`) {
			t.Fatalf("invalid setup: %d %.300s", rec.Code, rec.Body.String())
		}
		form.Set("email", "ann@acme.test")
		form.Set("password", "a long enough phrase")
		if rec = b.do("POST", "/setup", form); rec.Code != 303 || b.cookies[account.SessionCookie] == nil {
			t.Fatalf("setup: %d", rec.Code)
		}
		c := b.cookies[account.SessionCookie]
		if !c.HttpOnly || c.SameSite != http.SameSiteLaxMode || c.Secure {
			t.Fatalf("session cookie flags: %+v", c)
		}
		if rec = b.do("GET", "/", nil); rec.Code != 200 || !strings.Contains(rec.Body.String(), "Your workspace is ready") {
			t.Fatalf("home: %d", rec.Code)
		}

		// Quick-add: invalid input keeps what was typed; htmx gets a fragment.
		rec = b.do("POST", "/companies", url.Values{"name": {""}, "domain": {"not a domain"}})
		if rec.Code != 422 || !strings.Contains(rec.Body.String(), "Enter the company") || !strings.Contains(rec.Body.String(), `value="not a domain"`) {
			t.Fatalf("invalid company: %d", rec.Code)
		}
		rec = b.do("POST", "/companies", url.Values{"name": {"Globex"}, "domain": {"GLOBEX.example"}}, "HX-Request", "true")
		if rec.Code != 200 || !strings.Contains(rec.Body.String(), `hx-swap-oob="afterbegin:#company-rows"`) || strings.Contains(rec.Body.String(), "<html") {
			t.Fatalf("htmx create: %d %.300s", rec.Code, rec.Body.String())
		}
		if rec = b.do("GET", "/companies", nil); !strings.Contains(rec.Body.String(), "globex.example") {
			t.Fatal("created company not listed")
		}
		// A refused plain post re-renders the page with the table intact.
		if rec = b.do("POST", "/companies", url.Values{"name": {""}}); rec.Code != 422 || !strings.Contains(rec.Body.String(), "globex.example") {
			t.Fatalf("invalid company page lost the list: %d", rec.Code)
		}
		globex := regexp.MustCompile(`id="company-(\d+)"`).FindStringSubmatch(b.do("GET", "/companies", nil).Body.String())
		if globex == nil {
			t.Fatal("no company row id")
		}
		// The contact form picks its company by typing: the picker asks
		// /companies/pick, which offers the newest for nothing typed.
		if rec = b.do("GET", "/contacts", nil); !strings.Contains(rec.Body.String(), `data-picker="/companies/pick"`) ||
			strings.Contains(rec.Body.String(), "Globex") {
			t.Fatal("contact form has no company picker, or lists the companies itself")
		}
		for _, q := range []string{"", "glob", "GLOBEX.exa", "Glbex"} {
			rec = b.do("GET", "/companies/pick?q="+url.QueryEscape(q), nil, "Accept", "application/json")
			if want := `{"choices":[{"id":"` + globex[1] + `","name":"Globex","detail":"globex.example"}]}`; rec.Code != 200 || strings.TrimSpace(rec.Body.String()) != want {
				t.Fatalf("pick %q: %d %s", q, rec.Code, rec.Body.String())
			}
		}
		if rec = b.do("GET", "/companies/pick?q=initech", nil, "Accept", "application/json"); rec.Code != 200 || strings.TrimSpace(rec.Body.String()) != `{"choices":[]}` {
			t.Fatalf("pick without a match: %d %s", rec.Code, rec.Body.String())
		}
		if rec = b.do("GET", "/companies/pick?q="+strings.Repeat("x", 201), nil, "Accept", "application/json"); rec.Code != 422 ||
			!strings.Contains(rec.Body.String(), "at most 200 characters") {
			t.Fatalf("pick with a long query: %d %s", rec.Code, rec.Body.String())
		}
		// A refused form shows the company it had chosen, by name.
		rec = b.do("POST", "/contacts", url.Values{"first_name": {"Grace"}, "email": {"not an email"}, "company_id": {globex[1]}}, "HX-Request", "true")
		if rec.Code != 422 || !strings.Contains(rec.Body.String(), `name="company_id" value="`+globex[1]+`"`) || !strings.Contains(rec.Body.String(), `value="Globex"`) {
			t.Fatalf("refused contact lost its company: %d %.600s", rec.Code, rec.Body.String())
		}
		rec = b.do("POST", "/contacts", url.Values{"first_name": {"Nobody"}, "company_id": {"12345"}}, "HX-Request", "true")
		if rec.Code != 422 || !strings.Contains(rec.Body.String(), "No such company") || !strings.Contains(rec.Body.String(), `value="Nobody"`) {
			t.Fatalf("contact with unknown company: %d %.300s", rec.Code, rec.Body.String())
		}
		rec = b.do("POST", "/contacts", url.Values{"first_name": {"Grace"}, "email": {"grace@globex.example"}, "company_id": {globex[1]}})
		if rec.Code != 303 {
			t.Fatalf("contact create: %d", rec.Code)
		}
		if rec = b.do("GET", "/contacts", nil); !strings.Contains(rec.Body.String(), "grace@globex.example") || !strings.Contains(rec.Body.String(), "Contact Grace added") ||
			!strings.Contains(rec.Body.String(), `<a href="/companies/`+globex[1]+`" title="Globex">Globex</a>`) {
			t.Fatal("contact not listed with flash")
		}
		// Contact and deal pickers answer as the company picker does.
		grace := regexp.MustCompile(`href="/contacts/(\d+)"`).FindStringSubmatch(rec.Body.String())
		if grace == nil {
			t.Fatal("no contact link")
		}
		for _, q := range []string{"", "grac", "grace@globex"} {
			rec = b.do("GET", "/contacts/pick?q="+url.QueryEscape(q), nil, "Accept", "application/json")
			if want := `{"choices":[{"id":"` + grace[1] + `","name":"Grace","detail":"grace@globex.example · Globex"}]}`; rec.Code != 200 || strings.TrimSpace(rec.Body.String()) != want {
				t.Fatalf("contact pick %q: %d %s", q, rec.Code, rec.Body.String())
			}
		}
		if rec = b.do("POST", "/deals", url.Values{"title": {"Globex pilot"}, "value": {"1200"}}); rec.Code != 303 {
			t.Fatalf("deal create: %d %.300s", rec.Code, rec.Body.String())
		}
		rec = b.do("GET", "/deals/pick?q=PILOT", nil, "Accept", "application/json")
		if got := rec.Body.String(); rec.Code != 200 || !regexp.MustCompile(`^\{"choices":\[\{"id":"\d+","name":"Globex pilot","detail":"[^"]+"\}\]\}$`).MatchString(strings.TrimSpace(got)) {
			t.Fatalf("deal pick: %d %s", rec.Code, got)
		}
		if rec = b.do("GET", "/deals/pick?q=nothing", nil, "Accept", "application/json"); strings.TrimSpace(rec.Body.String()) != `{"choices":[]}` {
			t.Fatalf("deal pick without a match: %d %s", rec.Code, rec.Body.String())
		}

		// Sign out, then a wrong password gets one generic message.
		if rec = b.do("POST", "/logout", url.Values{}); rec.Code != 303 || b.cookies[account.SessionCookie] != nil {
			t.Fatalf("logout: %d", rec.Code)
		}
		for _, email := range []string{"ann@acme.test", "nobody@acme.test"} {
			rec = b.do("POST", "/login", url.Values{"email": {email}, "password": {"wrong password!"}})
			if rec.Code != 401 || !strings.Contains(rec.Body.String(), "do not match an account") {
				t.Fatalf("bad login for %s: %d", email, rec.Code)
			}
		}
		rec = b.do("POST", "/login", url.Values{"email": {"ANN@acme.test"}, "password": {"a long enough phrase"}, "next": {"//evil.example/"}})
		if rec.Code != 303 || rec.Header().Get("Location") != "/" {
			t.Fatalf("login with hostile next: %d %s", rec.Code, rec.Header().Get("Location"))
		}
		// Over TLS the session cookie is Secure, even without an https public URL.
		req := httptest.NewRequest("POST", "https://crm.example/login", strings.NewReader(url.Values{"email": {"ann@acme.test"}, "password": {"a long enough phrase"}}.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		tls := httptest.NewRecorder()
		srv.ServeHTTP(tls, req)
		if cs := tls.Result().Cookies(); tls.Code != 303 || len(cs) == 0 || !cs[0].Secure {
			t.Fatalf("TLS sign-in: %d %v", tls.Code, cs)
		}
		// A cross-site form post is refused before any handler runs.
		rec = b.do("POST", "/companies", url.Values{"name": {"Evil"}}, "Sec-Fetch-Site", "cross-site")
		if rec.Code != 403 {
			t.Fatalf("cross-site post: %d", rec.Code)
		}
	})
}

// TestAuditOfSignIns checks that sign-in successes and failures, sign-outs
// and API key changes land in the hash-chained audit log.
func TestAuditOfSignIns(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		srv := web.NewServer(web.Deps{DB: db, Jobs: fakeJobs{}})
		b := &browser{t: t, h: srv, cookies: map[string]*http.Cookie{}}
		var token string
		db.Write(context.Background(), func(tx *store.Tx) (err error) { token, err = account.NewSetupToken(tx); return err })
		b.do("POST", "/setup", url.Values{"token": {token}, "workspace": {"Audit Co"}, "name": {"Al"},
			"email": {"al@audit.test"}, "password": {"a long enough phrase"}})
		b.do("POST", "/settings/api-keys", url.Values{"name": {"cron"}})
		b.do("POST", "/logout", url.Values{})
		b.do("POST", "/login", url.Values{"email": {"al@audit.test"}, "password": {"wrong password!!"}})
		b.do("POST", "/login", url.Values{"email": {"ghost@audit.test"}, "password": {"whatever it is"}})
		if rec := b.do("POST", "/login", url.Values{"email": {"al@audit.test"}, "password": {"a long enough phrase"}}); rec.Code != 303 {
			t.Fatalf("sign in: %d", rec.Code)
		}
		var actions []string
		err := db.Read(context.Background(), func(tx *store.Tx) error {
			rows, err := tx.Unscoped().Query(`SELECT action FROM audit_log ORDER BY id`)
			if err != nil {
				return err
			}
			defer rows.Close()
			for rows.Next() {
				var a string
				rows.Scan(&a)
				actions = append(actions, a)
			}
			return rows.Err()
		})
		if err != nil {
			t.Fatal(err)
		}
		got := strings.Join(actions, ",")
		want := "apikey.created,signin.signed_out,signin.failed,signin.failed,signin.succeeded"
		if got != want {
			t.Fatalf("audit actions = %s\nwant           %s", got, want)
		}
		// Failed attempts keep no typed address in clear: the known account
		// by id, the unknown address as a keyed hash only.
		var details []string
		db.Read(context.Background(), func(tx *store.Tx) error {
			rows, err := tx.Unscoped().Query(`SELECT details FROM audit_log WHERE action = 'signin.failed' ORDER BY id`)
			if err != nil {
				return err
			}
			defer rows.Close()
			for rows.Next() {
				var d string
				rows.Scan(&d)
				details = append(details, d)
			}
			return rows.Err()
		})
		if len(details) != 2 || strings.Contains(strings.Join(details, ""), "@audit.test") || !strings.Contains(details[1], "email_hash") {
			t.Fatalf("failed sign-in details = %v", details)
		}
	})
}
