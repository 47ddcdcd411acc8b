package web_test

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/tandemcrm/tandem/internal/account"
	"github.com/tandemcrm/tandem/internal/consent"
	"github.com/tandemcrm/tandem/internal/crm"
	"github.com/tandemcrm/tandem/internal/store"
	"github.com/tandemcrm/tandem/internal/store/testdb"
	"github.com/tandemcrm/tandem/internal/web"
)

func TestConsentPages(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		srv := web.NewServer(web.Deps{DB: db, Jobs: fakeJobs{}})
		b := &browser{t: t, h: srv, cookies: map[string]*http.Cookie{}}
		var token string
		db.Write(ctx, func(tx *store.Tx) (err error) { token, err = account.NewSetupToken(tx); return err })
		b.do("POST", "/setup", url.Values{"token": {token}, "workspace": {"Pref Co"}, "name": {"Dee"}, "email": {"dee@pref.test"}, "password": {"a long enough phrase"}})
		if rec := b.do("POST", "/contacts", url.Values{"first_name": {"Ada"}, "email": {"ada@pref.test"}}); rec.Code != 303 {
			t.Fatalf("create: %d", rec.Code)
		}
		m := regexp.MustCompile(`/contacts/(\d+)"`).FindStringSubmatch(b.do("GET", "/contacts", nil).Body.String())
		if m == nil {
			t.Fatal("no contact link")
		}
		cid := m[1]
		contactID, _ := crm.ParseID(cid)
		var ws crm.ID
		db.Read(ctx, func(tx *store.Tx) error {
			return tx.QueryRow(`SELECT workspace_id FROM contacts WHERE workspace_id > 0 AND id = ?`, contactID).Scan(&ws)
		})

		// The contact page: record a decision, see it, find the link.
		if rec := b.do("POST", "/contacts/"+cid+"/consent", url.Values{"purpose": {"marketing_email"}, "status": {"granted"},
			"basis": {"consent"}, "notice_version": {"web-7"}}); rec.Code != 303 {
			t.Fatalf("record consent: %d", rec.Code)
		}
		page := b.do("GET", "/contacts/"+cid, nil).Body.String()
		if !strings.Contains(page, `id="consent"`) || !strings.Contains(page, `consent-granted`) || !strings.Contains(page, "notice web-7") ||
			!strings.Contains(page, "consent marketing email: — → granted (manual)") {
			i := strings.Index(page, `id="consent"`)
			t.Fatalf("consent panel or timeline:\n%.3000s", page[max(i, 0):])
		}
		tm := regexp.MustCompile(`/preferences/([A-Za-z0-9_\-]+\.[A-Za-z0-9_\-]+)`).FindStringSubmatch(page)
		if tm == nil {
			t.Fatal("no preference link on the contact page")
		}
		link := "/preferences/" + tm[1]

		// The person, signed out, from another network.
		anon := &browser{t: t, h: srv, cookies: map[string]*http.Cookie{}, ip: "198.51.100.77"}
		rec := anon.do("GET", link, nil)
		body := rec.Body.String()
		if rec.Code != 200 || !strings.Contains(body, "Hello Ada") || !strings.Contains(body, "Pref Co") ||
			!regexp.MustCompile(`name="p.marketing_email" value="granted" checked`).MatchString(body) || strings.Contains(body, "ada@pref.test") {
			t.Fatalf("preference centre: %d\n%s", rec.Code, body)
		}
		rec = anon.do("POST", link, url.Values{"p.marketing_email": {"withdrawn"}, "p.sms": {"granted"}, "p.calls": {"withdrawn"}})
		if rec.Code != 200 || !strings.Contains(rec.Body.String(), "Saved") {
			t.Fatalf("save preferences: %d", rec.Code)
		}
		var states []consent.State
		var hist []consent.Consent
		db.Read(ctx, func(tx *store.Tx) (err error) {
			states, err = consent.Current(tx, ws, contactID)
			if err == nil {
				hist, err = consent.History(tx, ws, contactID, 0, 50)
			}
			return err
		})
		got := map[string]string{}
		for _, s := range states {
			got[s.Purpose.Key] = s.Status
		}
		if got["marketing_email"] != "withdrawn" || got["sms"] != "granted" || got["calls"] != "denied" || got["tracking"] != "" {
			t.Fatalf("after saving: %v", got)
		}
		if h := hist[0]; h.Source != "preference_centre" || h.IP != "198.51.100.0" || h.Actor.Type != "contact" {
			t.Fatalf("evidence: %+v", h)
		}

		// Tampered, forged, expired and unknown links all get the same page.
		expired, _ := consent.PreferenceToken(ws, contactID, time.Now().Add(-time.Minute))
		unknown, _ := consent.PreferenceToken(ws, 12345, time.Now().Add(time.Hour))
		otherWS, _ := consent.PreferenceToken(ws+1, contactID, time.Now().Add(time.Hour))
		flipped := []byte(tm[1])
		flipped[len(flipped)-1] ^= 1
		refusal := ""
		for name, tok := range map[string]string{"altered": string(flipped), "expired": expired, "unknown contact": unknown,
			"other workspace": otherWS, "garbage": "abc"} {
			for _, method := range []string{"GET", "POST"} {
				var form url.Values
				if method == "POST" {
					form = url.Values{"p.marketing_email": {"granted"}}
				}
				rec := anon.do(method, "/preferences/"+tok, form)
				if rec.Code != 404 || !strings.Contains(rec.Body.String(), "This link does not work") {
					t.Errorf("%s link %s: %d", name, method, rec.Code)
				}
				if refusal == "" {
					refusal = rec.Body.String()
				} else if rec.Body.String() != refusal {
					t.Errorf("%s link %s: the refusal differs, so it tells links apart", name, method)
				}
			}
		}
		db.Read(ctx, func(tx *store.Tx) error {
			st, _ := consent.Current(tx, ws, contactID)
			if st[0].Status != "withdrawn" {
				t.Errorf("a refused link changed consent: %+v", st[0])
			}
			return nil
		})

		// Global Privacy Control is an opt-out of tracking and profiling, once.
		gpc := &browser{t: t, h: srv, cookies: map[string]*http.Cookie{}, ip: "203.0.113.5"}
		for i := 0; i < 2; i++ {
			rec := gpc.do("GET", link, nil, "Sec-GPC", "1")
			if rec.Code != 200 || !strings.Contains(rec.Body.String(), "privacy signal (Sec-GPC)") {
				t.Fatalf("GPC visit: %d", rec.Code)
			}
		}
		db.Read(ctx, func(tx *store.Tx) (err error) {
			states, _ = consent.Current(tx, ws, contactID)
			hist, err = consent.History(tx, ws, contactID, 0, 50)
			return err
		})
		n := 0
		for _, h := range hist {
			if h.Purpose == "tracking" || h.Purpose == "profiling" {
				n++
				if h.Status != "denied" || h.NoticeVersion != "signal:Sec-GPC" {
					t.Errorf("GPC entry: %+v", h)
				}
			}
		}
		if n != 2 {
			t.Errorf("GPC entries: %d, want one per purpose however often the page is visited", n)
		}
		if ok := trackingAllowed(t, db, ws, contactID); ok {
			t.Error("tracking allowed after GPC")
		}
		// Do Not Track counts the same for a person who granted tracking.
		db.Write(ctx, func(tx *store.Tx) error {
			_, err := consent.Record(tx, ws, contactID, consent.Entry{Purpose: "tracking", Status: "granted"}, crm.System)
			return err
		})
		gpc.do("GET", link, nil, "DNT", "1")
		if ok := trackingAllowed(t, db, ws, contactID); ok {
			t.Error("tracking allowed after DNT")
		}

		// Public pages are rate-limited per network.
		flood := &browser{t: t, h: srv, cookies: map[string]*http.Cookie{}, ip: "192.0.2.200"}
		codes := map[int]int{}
		for i := 0; i < 35; i++ {
			codes[flood.do("GET", "/preferences/nonsense", nil).Code]++
		}
		if codes[429] != 5 || codes[404] != 30 {
			t.Errorf("rate limit: %v", codes)
		}

		// Settings → Consent: suppress an address, then creating it is refused.
		if rec := b.do("GET", "/settings/consent", nil); rec.Code != 200 || !strings.Contains(rec.Body.String(), `value="marketing_email"`) {
			t.Fatalf("settings page: %d", rec.Code)
		}
		if rec := b.do("POST", "/settings/consent/suppressions", url.Values{"kind": {"email"}, "value": {"Gone@Pref.test"}, "op": {"add"}}); rec.Code != 303 {
			t.Fatalf("suppress: %d %s", rec.Code, rec.Body.String())
		}
		list := b.do("GET", "/settings/consent", nil).Body.String()
		if strings.Contains(strings.ToLower(list), "gone@pref.test") || !strings.Contains(list, "<td>email</td><td>manual</td>") {
			t.Fatal("the suppression list shows the value, or not the entry")
		}
		rec = b.do("POST", "/contacts", url.Values{"first_name": {"Gone"}, "email": {"gone@pref.test"}})
		if rec.Code != 422 || !strings.Contains(rec.Body.String(), "This email address is suppressed (manual)") {
			t.Fatalf("suppressed contact created through the UI: %d", rec.Code)
		}
		if rec := b.do("POST", "/settings/consent", url.Values{"tracking": {"sometimes"}, "key": {"marketing_email"}, "label": {"Marketing"}, "requires": {"1"}}); rec.Code != 422 ||
			!strings.Contains(rec.Body.String(), "Choose off, on or consent") {
			t.Fatalf("invalid settings: %d", rec.Code)
		}
		rec = b.do("POST", "/settings/consent", url.Values{"tracking": {"off"}, "allow_recreate": {"1"},
			"key": {"marketing_email", "newsletter", ""}, "label": {"Marketing email", "Newsletter", ""}, "requires": {"1", "1", "1"}})
		if rec.Code != 303 {
			t.Fatalf("save settings: %d %s", rec.Code, rec.Body.String())
		}
		if rec := b.do("POST", "/contacts", url.Values{"first_name": {"Gone"}, "email": {"gone@pref.test"}}); rec.Code != 303 {
			t.Fatalf("re-creation allowed: %d", rec.Code)
		}
		if page := b.do("GET", "/contacts?filter="+url.QueryEscape(`consent.newsletter is empty`), nil); page.Code != 200 {
			t.Fatalf("filter on a new purpose: %d", page.Code)
		}
	})
}

func trackingAllowed(t *testing.T, db *store.DB, ws, contact crm.ID) bool {
	t.Helper()
	var ok bool
	if err := db.Read(context.Background(), func(tx *store.Tx) (err error) {
		s, err := consent.Load(tx, ws)
		if err != nil || s.Tracking != consent.TrackingConsent {
			t.Fatalf("tracking mode: %+v %v", s, err)
		}
		ok, err = consent.TrackingAllowed(tx, ws, contact)
		return err
	}); err != nil {
		t.Fatal(err)
	}
	return ok
}
