package web_test

import (
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

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
