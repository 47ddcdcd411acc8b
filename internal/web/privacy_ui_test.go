package web_test

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/tandemcrm/tandem/internal/account"
	"github.com/tandemcrm/tandem/internal/ids"
	"github.com/tandemcrm/tandem/internal/secrets"
	"github.com/tandemcrm/tandem/internal/store"
	"github.com/tandemcrm/tandem/internal/store/testdb"
	"github.com/tandemcrm/tandem/internal/web"
)

// The privacy pages through the real router: the contact's export and
// erasure, the public form (same answer for known and unknown addresses,
// rate-limited), and the audit log search and CSV export.
func TestPrivacyPages(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		key, _ := secrets.ParseKey(ids.Token(32)) // the instance key outlives a restart
		srv := web.NewServer(web.Deps{DB: db, Jobs: fakeJobs{}, Key: key})
		b := &browser{t: t, h: srv, cookies: map[string]*http.Cookie{}}
		var token string
		db.Write(context.Background(), func(tx *store.Tx) (err error) { token, err = account.NewSetupToken(tx); return err })
		b.do("POST", "/setup", url.Values{"token": {token}, "workspace": {"Priv Co"}, "name": {"Pri"}, "email": {"pri@priv.test"}, "password": {"a long enough phrase"}})
		b.do("POST", "/contacts", url.Values{"first_name": {"Kit"}, "last_name": {"Known"}, "email": {"kit@known.test"}})
		m := regexp.MustCompile(`/contacts/(\d+)"`).FindStringSubmatch(b.do("GET", "/contacts", nil).Body.String())
		if m == nil {
			t.Fatal("no contact link")
		}
		id := m[1]

		page := b.do("GET", "/contacts/"+id, nil).Body.String()
		if !strings.Contains(page, `action="/contacts/`+id+`/export"`) || !strings.Contains(page, `href="/contacts/`+id+`/erase"`) {
			t.Fatal("the contact page lacks Export data and Erase…")
		}
		exp := b.do("POST", "/contacts/"+id+"/export", url.Values{})
		if exp.Code != 200 || exp.Header().Get("Content-Type") != "application/zip" ||
			!strings.HasPrefix(exp.Header().Get("Content-Disposition"), "attachment") || !strings.HasPrefix(exp.Body.String(), "PK") {
			t.Fatalf("export: %d %v", exp.Code, exp.Header())
		}

		// The public form: the same page whether the address is known or not.
		if regexp.MustCompile(`/privacy/[A-Za-z0-9_-]+/request"`).MatchString(b.do("GET", "/settings/privacy", nil).Body.String()) {
			t.Fatal("the public form exists before it is turned on")
		}
		if rec := b.do("POST", "/settings/privacy/form", url.Values{}); rec.Code != 303 {
			t.Fatalf("turn on the form: %d", rec.Code)
		}
		settings := b.do("GET", "/settings/privacy", nil).Body.String()
		fm := regexp.MustCompile(`/privacy/([A-Za-z0-9_-]+)/request`).FindStringSubmatch(settings)
		if fm == nil {
			t.Fatal("no public form link on Settings → Privacy")
		}
		visitor := &browser{t: t, h: srv, cookies: map[string]*http.Cookie{}, ip: "198.51.100.7"}
		form := "/privacy/" + fm[1] + "/request"
		if rec := visitor.do("GET", form, nil); rec.Code != 200 || !strings.Contains(rec.Body.String(), "Priv Co") {
			t.Fatalf("public form: %d", rec.Code)
		}
		answer := func(email string) string {
			rec := visitor.do("POST", form, url.Values{"type": {"access"}, "email": {email}})
			if rec.Code != 200 {
				t.Fatalf("submit %s: %d %s", email, rec.Code, rec.Body.String())
			}
			return strings.ReplaceAll(rec.Body.String(), email, "EMAIL")
		}
		if known, unknown := answer("kit@known.test"), answer("nobody@nowhere.test"); known != unknown {
			t.Error("the public form answers differently for a known address")
		}
		if rec := visitor.do("POST", form, url.Values{"type": {"access"}, "email": {"not an address"}}); rec.Code != 422 {
			t.Errorf("bad address: %d", rec.Code)
		}
		if rec := visitor.do("GET", "/privacy/nope/request", nil); rec.Code != 404 {
			t.Errorf("unknown form token: %d", rec.Code)
		}
		for i := 0; i < 10; i++ {
			visitor.do("POST", form, url.Values{"type": {"access"}, "email": {"spam@spam.test"}})
		}
		if rec := visitor.do("POST", form, url.Values{"type": {"access"}, "email": {"spam@spam.test"}}); rec.Code != http.StatusTooManyRequests {
			t.Errorf("rate limit: %d", rec.Code)
		}
		// The limit is in the database: a restarted (or another) server keeps it,
		// for the whole network, while other networks are served.
		restarted := web.NewServer(web.Deps{DB: db, Jobs: fakeJobs{}, Key: key})
		neighbour := &browser{t: t, h: restarted, cookies: map[string]*http.Cookie{}, ip: "198.51.100.99"}
		if rec := neighbour.do("POST", form, url.Values{"type": {"access"}, "email": {"spam@spam.test"}}); rec.Code != http.StatusTooManyRequests {
			t.Errorf("rate limit after a restart: %d", rec.Code)
		}
		other := &browser{t: t, h: restarted, cookies: map[string]*http.Cookie{}, ip: "203.0.113.5"}
		if rec := other.do("POST", form, url.Values{"type": {"access"}, "email": {"other@spam.test"}}); rec.Code != 200 {
			t.Errorf("another network: %d", rec.Code)
		}
		if reg := b.do("GET", "/settings/privacy", nil).Body.String(); !strings.Contains(reg, "kit@known.test") || !strings.Contains(reg, "nobody@nowhere.test") {
			t.Error("the register lacks the form's requests")
		}

		// Erasure: preview, the box must be ticked, then the contact is gone.
		if prev := b.do("GET", "/contacts/"+id+"/erase", nil); prev.Code != 200 || !strings.Contains(prev.Body.String(), "Person records") {
			t.Fatalf("preview: %d", prev.Code)
		}
		if rec := b.do("POST", "/contacts/"+id+"/erase", url.Values{}); rec.Code != 422 {
			t.Fatalf("erase without confirming: %d", rec.Code)
		}
		if rec := b.do("POST", "/contacts/"+id+"/erase", url.Values{"confirm": {"yes"}}); rec.Code != 303 {
			t.Fatalf("erase: %d", rec.Code)
		}
		if rec := b.do("GET", "/contacts/"+id, nil); rec.Code != 404 {
			t.Fatalf("erased contact: %d", rec.Code)
		}

		// The audit log shows the export and the erasure, and exports as CSV.
		log := b.do("GET", "/settings/audit?object_type=contact", nil)
		if log.Code != 200 || !strings.Contains(log.Body.String(), "data.exported") || !strings.Contains(log.Body.String(), "data.erased") {
			t.Fatalf("audit page: %d", log.Code)
		}
		csv := b.do("POST", "/settings/audit/export", url.Values{"action": {"data.erased"}})
		if csv.Code != 200 || !strings.HasPrefix(csv.Body.String(), "seq,at,actor_type") || strings.Count(csv.Body.String(), "data.erased") != 1 {
			t.Fatalf("audit csv: %d %q", csv.Code, csv.Body.String())
		}
	})
}
