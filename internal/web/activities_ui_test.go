package web_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/tandemcrm/tandem/internal/account"
	"github.com/tandemcrm/tandem/internal/crm"
	"github.com/tandemcrm/tandem/internal/store"
	"github.com/tandemcrm/tandem/internal/store/testdb"
)

// TestActivitiesUI walks the activity pages as a browser without
// JavaScript would: quick add on my day, check off (and the htmx row),
// the calendar, the record panel, notifications and the feed settings.
func TestActivitiesUI(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		b := signedIn(t, db)
		today := time.Now().UTC().Format("2006-01-02")
		rec := b.do("POST", "/activities", url.Values{"type": {"call"}, "title": {"Call Ada"}, "date": {today}, "time": {"23:59"},
			"back": {"/my-day"}})
		must(t, rec, 303, rec.Body.String())
		if rec.Header().Get("Location") != "/my-day" {
			t.Fatalf("back to %q", rec.Header().Get("Location"))
		}
		rec = b.do("GET", "/my-day", nil)
		must(t, rec, 200, rec.Body.String(), "Call “Call Ada” added.", `id="bucket-today"`, "Call Ada", "Times in UTC")
		id := regexp.MustCompile(`id="act-(\d+)"`).FindStringSubmatch(rec.Body.String())[1]
		section := rec.Body.String()[strings.Index(rec.Body.String(), `id="bucket-today"`):strings.Index(rec.Body.String(), `id="bucket-upcoming"`)]
		if !strings.Contains(section, "Call Ada") {
			t.Fatalf("not under today:\n%s", section)
		}
		// Bad input: the full form again, saying why; nothing is stored.
		rec = b.do("POST", "/activities", url.Values{"title": {"Call Bob"}, "date": {"not a date"}, "back": {"/my-day"}})
		must(t, rec, 422, rec.Body.String(), `value="Call Bob"`, "Choose a date", `name="back" value="/my-day"`)
		// htmx check-off answers with the row; a plain post goes back.
		rec = b.do("POST", "/activities/"+id+"/done", url.Values{}, "HX-Request", "true")
		must(t, rec, 200, rec.Body.String(), `class="act done"`, "/activities/"+id+"/undone")
		if strings.Contains(rec.Body.String(), "<html") {
			t.Fatal("the check-off answered a whole page")
		}
		rec = b.do("POST", "/activities/"+id+"/undone", url.Values{"back": {"/my-day"}})
		must(t, rec, 303, "")
		// The edit page, and a refused edit that keeps what was typed.
		rec = b.do("GET", "/activities/"+id, nil)
		must(t, rec, 200, rec.Body.String(), `value="Call Ada"`, `name="version" value="3"`)
		rec = b.do("POST", "/activities/"+id, url.Values{"version": {"3"}, "type": {"call"}, "title": {"Call Ada again"},
			"date": {today}, "time": {"25:99"}})
		must(t, rec, 422, rec.Body.String(), `value="Call Ada again"`, "Choose a date")
		rec = b.do("POST", "/activities/"+id, url.Values{"version": {"3"}, "type": {"meeting"}, "title": {"Meet Ada"},
			"date": {today}, "time": {"23:58"}, "duration_min": {"30"}})
		must(t, rec, 303, rec.Body.String())
		// The calendar shows it in week and month view.
		for _, mode := range []string{"week", "month"} {
			rec = b.do("GET", "/calendar?view="+mode+"&date="+today, nil)
			must(t, rec, 200, rec.Body.String(), `data-date="`+today+`"`, "Meet Ada", "23:58", "data-cal-prev")
		}
		rec = b.do("GET", "/calendar?view=week&date=garbage", nil)
		must(t, rec, 200, rec.Body.String(), "Meet Ada") // falls back to this week
		// A meeting from a contact's panel, with an emailed invitation.
		must(t, b.do("POST", "/contacts", url.Values{"first_name": {"Ada"}, "email": {"ada@example.com"}}), 303, "")
		rec = b.do("GET", "/contacts", nil)
		cid := regexp.MustCompile(`/contacts/(\d+)"`).FindStringSubmatch(rec.Body.String())[1]
		rec = b.do("GET", "/contacts/"+cid+"/activities", nil, "HX-Request", "true")
		must(t, rec, 200, rec.Body.String(), `name="contact_id" value="`+cid+`" checked`, `name="invite"`, "<span>Ada</span>")
		rec = b.do("POST", "/activities", url.Values{"type": {"meeting"}, "title": {"Kick-off"}, "date": {today}, "time": {"23:30"},
			"contact_id": {cid}, "invite": {"1"}, "back": {"/contacts/" + cid}})
		must(t, rec, 303, rec.Body.String())
		rec = b.do("GET", "/contacts/"+cid, nil)
		must(t, rec, 200, rec.Body.String(), "Invitation sent to 1 contact.", "Meeting “Kick-off” added", `hx-get="/contacts/`+cid+`/activities"`)
		rec = b.do("GET", "/settings/outbox", nil)
		must(t, rec, 200, rec.Body.String(), "Invitation: Kick-off", "ada@example.com")
		// Rescheduled and sent again from its page: a second invitation.
		kick := regexp.MustCompile(`/activities/(\d+)"[^>]*>Kick-off`).FindStringSubmatch(b.do("GET", "/my-day", nil).Body.String())[1]
		rec = b.do("POST", "/activities/"+kick, url.Values{"version": {"1"}, "type": {"meeting"}, "title": {"Kick-off"},
			"date": {today}, "time": {"23:45"}, "invite": {"1"}})
		must(t, rec, 303, rec.Body.String())
		rec = b.do("GET", "/activities/"+kick, nil)
		must(t, rec, 200, rec.Body.String(), "Saved. Invitation sent to 1 contact.", `value="23:45"`)
		// A company's page loads its panel from the right address.
		must(t, b.do("POST", "/companies", url.Values{"name": {"Engines"}}), 303, "")
		rec = b.do("GET", "/companies", nil)
		coid := regexp.MustCompile(`/companies/(\d+)"`).FindStringSubmatch(rec.Body.String())[1]
		rec = b.do("GET", "/companies/"+coid, nil)
		must(t, rec, 200, rec.Body.String(), `hx-get="/companies/`+coid+`/activities"`)
		rec = b.do("GET", "/companies/"+coid+"/activities", nil, "HX-Request", "true")
		must(t, rec, 200, rec.Body.String(), `name="company_id" value="`+coid+`"`, `name="back" value="/companies/`+coid+`"`)
		// Notifications: the bell and the centre answer.
		rec = b.do("GET", "/notifications/count", nil)
		must(t, rec, 200, rec.Body.String())
		rec = b.do("GET", "/notifications", nil)
		must(t, rec, 200, rec.Body.String(), "Nothing yet")
		rec = b.do("POST", "/notifications/123/read", url.Values{})
		must(t, rec, 404, "")
		// The feed: made, shown once, served, revoked.
		rec = b.do("POST", "/settings/calendar/feed", url.Values{})
		must(t, rec, 200, rec.Body.String(), `id="feed-url"`)
		feed := regexp.MustCompile(`/calendar/(tdc_[A-Za-z0-9_-]+)\.ics`).FindStringSubmatch(rec.Body.String())
		if feed == nil {
			t.Fatalf("no feed link:\n%s", rec.Body.String())
		}
		rec = b.do("GET", "/settings/calendar", nil)
		must(t, rec, 200, rec.Body.String(), "A feed is active")
		if strings.Contains(rec.Body.String(), feed[1]) {
			t.Fatal("the settings page shows the link again")
		}
		anon := &browser{t: t, h: b.h, cookies: map[string]*http.Cookie{}}
		rec = anon.do("GET", "/calendar/"+feed[1]+".ics", nil)
		must(t, rec, 200, rec.Body.String(), "BEGIN:VCALENDAR", "SUMMARY:Meet Ada")
		must(t, b.do("POST", "/settings/calendar/feed/revoke", url.Values{}), 303, "")
		must(t, anon.do("GET", "/calendar/"+feed[1]+".ics", nil), 404, "")
		// Time zones: the workspace's (owners), then the user's own.
		must(t, b.do("POST", "/settings/calendar/workspace-zone", url.Values{"time_zone": {"America/New_York"}}), 303, "")
		rec = b.do("GET", "/my-day", nil)
		must(t, rec, 200, rec.Body.String(), "Times in America/New_York")
		must(t, b.do("POST", "/settings/calendar/zone", url.Values{"time_zone": {"Mars/Olympus"}}), 422, "")
		must(t, b.do("POST", "/settings/calendar/zone", url.Values{"time_zone": {"Asia/Tokyo"}}), 303, "")
		rec = b.do("GET", "/my-day", nil)
		must(t, rec, 200, rec.Body.String(), "Times in Asia/Tokyo")
	})
}

// TestActivityLinksUI links an activity to contacts, a company and a deal
// and gives it to a colleague through the forms; refuses unknown ids by
// field, keeping what was typed; unlinks a contact on the edit form; and
// keeps a member from linking records they may not see.
func TestActivityLinksUI(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		b := signedIn(t, db)
		today := time.Now().UTC().Format("2006-01-02")
		for _, n := range []string{"Ada", "Grace"} {
			must(t, b.do("POST", "/contacts", url.Values{"first_name": {n}}), 303, "")
		}
		must(t, b.do("POST", "/companies", url.Values{"name": {"Engines Ltd"}}), 303, "")
		must(t, b.do("POST", "/deals", url.Values{"title": {"Engines renewal"}, "value": {"100"}, "currency": {"USD"}}), 303, "")
		ada, grace := pickID(t, b, "/contacts/pick", "Ada"), pickID(t, b, "/contacts/pick", "Grace")
		co, deal := pickID(t, b, "/companies/pick", "Engines"), pickID(t, b, "/deals/pick", "Engines")
		bob := addSignedInMember(t, db, b, "Bob", crm.RoleMember)

		// The forms offer the workspace's members, the user first.
		rec := b.do("GET", "/activities/new", nil)
		must(t, rec, 200, rec.Body.String(), `name="owner_id"`, "Ann (me)", ">Bob<", `data-picker="/contacts/pick"`, `data-picker="/deals/pick"`)

		// Linked and given to Bob.
		rec = b.do("POST", "/activities", url.Values{"type": {"call"}, "title": {"Call about the renewal"}, "date": {today}, "time": {"23:59"},
			"owner_id": {bob.u.String()}, "contact_id": {ada, grace, ""}, "company_id": {co}, "deal_id": {deal}, "back": {"/my-day"}})
		must(t, rec, 303, rec.Body.String())
		rec = b.do("GET", "/my-day", nil)
		must(t, rec, 200, rec.Body.String(), "Call “Call about the renewal” added for Bob.")
		rec = b.do("GET", "/contacts/"+grace+"/activities", nil, "HX-Request", "true")
		must(t, rec, 200, rec.Body.String(), "Call about the renewal", "→ Bob", ">Engines renewal</a>", ">Engines Ltd</a>")
		id := regexp.MustCompile(`/activities/(\d+)"`).FindStringSubmatch(rec.Body.String())[1]
		rec = b.do("GET", "/activities/"+id, nil)
		must(t, rec, 200, rec.Body.String(), `value="`+ada+`" checked`, `value="`+grace+`" checked`, `value="Engines Ltd"`,
			`value="Engines renewal"`, `<option value="`+bob.u.String()+`" selected>Bob</option>`)

		// Unknown or malformed ids: a message by each field, and the form
		// keeps what was typed and the links that were fine.
		bad := url.Values{"type": {"meeting"}, "title": {"Typed title"}, "date": {today}, "time": {"10:00"}, "location": {"Room 4"},
			"contact_id": {ada, "999999999"}, "company_id": {"999999998"}, "deal_id": {"999999997"}, "back": {"/calendar"}}
		rec = b.do("POST", "/activities", bad)
		must(t, rec, 422, rec.Body.String(), `value="Typed title"`, `value="Room 4"`, `value="`+ada+`" checked`,
			`data-field="contacts">No such contact.`, `data-field="company_id">No such company.`, `data-field="deal_id">No such deal.`,
			`name="back" value="/calendar"`)
		rec = b.do("POST", "/activities/"+id, url.Values{"version": {"1"}, "type": {"call"}, "title": {"Edited title"}, "date": {today},
			"time": {"23:59"}, "contact_id": {"x"}, "company_id": {co}, "deal_id": {deal}})
		must(t, rec, 422, rec.Body.String(), `value="Edited title"`, `data-field="contacts">No such contact.`, `value="Engines Ltd"`)

		// Unlinking Ada on the edit form: her panel no longer lists it;
		// an edit without link fields (an older form) keeps the links.
		rec = b.do("POST", "/activities/"+id, url.Values{"version": {"1"}, "type": {"call"}, "title": {"Call about the renewal"},
			"date": {today}, "time": {"23:59"}, "contact_id": {grace, ""}, "company_id": {co}, "deal_id": {deal}})
		must(t, rec, 303, rec.Body.String())
		if body := b.do("GET", "/contacts/"+ada+"/activities", nil, "HX-Request", "true").Body.String(); strings.Contains(body, "Call about the renewal") {
			t.Fatal("Ada's panel still lists the call")
		}
		must(t, b.do("POST", "/activities/"+id, url.Values{"version": {"2"}, "type": {"call"}, "title": {"Call again"}, "date": {today}, "time": {"23:59"}}), 303, "")
		rec = b.do("GET", "/activities/"+id, nil)
		must(t, rec, 200, rec.Body.String(), `value="Call again"`, `value="`+grace+`" checked`, `value="Engines Ltd"`, `value="Engines renewal"`)
		if strings.Contains(rec.Body.String(), `value="`+ada+`" checked`) {
			t.Fatal("Ada is linked again")
		}

		// A panel's form is about its record and what that is about.
		rec = b.do("GET", "/deals/"+deal+"/activities", nil, "HX-Request", "true")
		must(t, rec, 200, rec.Body.String(), `name="deal_id" value="`+deal+`"`, `value="Engines renewal"`)

		// Members who see only their own records: none of Ann's may be
		// linked, nor may an activity be given to her; the form offers no
		// one else.
		must(t, b.do("POST", "/settings/visibility", url.Values{"visibility": {"own"}}), 303, "")
		rec = bob.b.do("POST", "/activities", url.Values{"type": {"task"}, "title": {"Peek"}, "date": {today},
			"contact_id": {grace}, "company_id": {co}, "deal_id": {deal}, "owner_id": {bob.u.String()}})
		must(t, rec, 422, rec.Body.String(), `value="Peek"`, "No such contact.", "No such company.", "No such deal.")
		if strings.Contains(rec.Body.String(), "Grace") || strings.Contains(rec.Body.String(), "Engines") {
			t.Fatal("the refused form names records the member may not see")
		}
		rec = bob.b.do("POST", "/activities", url.Values{"type": {"task"}, "title": {"For Ann"}, "date": {today}, "owner_id": {ann(t, db).String()}})
		must(t, rec, 422, rec.Body.String(), `data-field="owner_id">You can only give records to yourself`)
		rec = bob.b.do("GET", "/activities/new", nil)
		must(t, rec, 200, rec.Body.String())
		if strings.Contains(rec.Body.String(), `name="owner_id"`) {
			t.Fatal("a member who sees only their own records is offered assignees")
		}
	})
}

// pickID is the id of the first record a picker offers for q.
func pickID(t *testing.T, b *browser, source, q string) string {
	t.Helper()
	rec := b.do("GET", source+"?q="+url.QueryEscape(q), nil)
	var out struct {
		Choices []struct{ ID string } `json:"choices"`
	}
	if err := json.Unmarshal(rec.Body.Bytes(), &out); err != nil || len(out.Choices) == 0 {
		t.Fatalf("%s?q=%s: %d %s", source, q, rec.Code, rec.Body.String())
	}
	return out.Choices[0].ID
}

type member struct {
	u crm.ID
	b *browser
}

// addSignedInMember adds a member to the signed-in user's workspace and
// signs them in with a browser of their own.
func addSignedInMember(t *testing.T, db *store.DB, owner *browser, name string, role crm.Role) member {
	t.Helper()
	m := member{b: &browser{t: t, h: owner.h, cookies: map[string]*http.Cookie{}}}
	err := db.Write(context.Background(), func(tx *store.Tx) error {
		var ws crm.ID
		if err := tx.QueryRow(`SELECT id FROM workspaces`).Scan(&ws); err != nil {
			return err
		}
		u, err := account.CreateUser(tx, account.NewUser{Email: strings.ToLower(name) + "@acme.test", Name: name, Password: "a long enough phrase"})
		if err != nil {
			return err
		}
		m.u = u.ID
		if err := account.AddMember(tx, ws, u.ID, role, crm.System); err != nil {
			return err
		}
		s, err := account.CreateSession(tx, u.ID, ws, "", "")
		m.b.cookies[account.SessionCookie] = &http.Cookie{Name: account.SessionCookie, Value: s}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// ann is the id of the user signedIn made.
func ann(t *testing.T, db *store.DB) crm.ID {
	var id crm.ID
	if err := db.Read(context.Background(), func(tx *store.Tx) error {
		return tx.QueryRow(`SELECT id FROM users WHERE email = 'ann@acme.test'`).Scan(&id)
	}); err != nil {
		t.Fatal(err)
	}
	return id
}
