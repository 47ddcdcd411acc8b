package e2e

import (
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	cd "github.com/chromedp/chromedp"
	"github.com/emersion/go-ical"
)

// TestActivitiesInBrowser creates a meeting with a contact from the
// contact's page, finds it on the calendar, subscribes to the calendar
// feed and reads the meeting back from it with an iCalendar parser; then
// checks a task off on "my day" without a page load, and regenerates the
// feed link (the old one stops working).
func TestActivitiesInBrowser(t *testing.T) {
	srv := StartServer(t, Options{})
	ctx := Browser(t)
	SetUpWorkspace(t, ctx, srv, Owner{Workspace: "Northwind Sales", Name: "Nora Owner", Email: "nora@northwind.example", Password: "correct horse battery staple"})
	seedPeople(t, ctx, srv)
	tomorrow := time.Now().UTC().AddDate(0, 0, 1).Format("2006-01-02")

	// 1. A meeting with Ada, from her page's activities panel.
	Do(t, ctx, cd.Navigate(srv.BaseURL+"/contacts"), cd.WaitVisible(cd.CSS(`#contact-rows tr`)))
	ada := Eval[string](t, ctx, `[...document.querySelectorAll("#contact-rows tr a")].find(a => a.textContent.includes("Ada")).getAttribute("href")`)
	Do(t, ctx, cd.Navigate(srv.BaseURL+ada), cd.WaitVisible(cd.CSS(`#activities-panel .act-form`)),
		cd.SetValue(cd.CSS(`#activities-panel [name=type]`), "meeting"),
		cd.SendKeys(cd.CSS(`#activities-panel [name=title]`), "Demo for Ada"),
		cd.SetValue(cd.CSS(`#activities-panel [name=date]`), tomorrow),
		cd.SetValue(cd.CSS(`#activities-panel [name=time]`), "10:30"),
		cd.Click(cd.CSS(`#activities-panel .act-more summary`)),
		cd.SetValue(cd.CSS(`#activities-panel [name=duration_min]`), "45"),
		cd.SendKeys(cd.CSS(`#activities-panel [name=location]`), "Room 1, floor 2"),
		cd.Click(cd.CSS(`#activities-panel button[type=submit]`)),
		cd.WaitVisible(cd.CSS(`.flash-ok`)),
		cd.WaitVisible(cd.CSS(`#activities-panel li.act`)))
	if got := Text(t, ctx, `#activities-panel li.act .act-title`); got != "Demo for Ada" {
		t.Fatalf("panel shows %q", got)
	}
	if tl := Text(t, ctx, `.timeline`); !strings.Contains(tl, "Meeting “Demo for Ada” added") {
		t.Fatalf("timeline lacks the meeting:\n%s", tl)
	}
	look(t, ctx, "contact-activities")
	Do(t, ctx, cd.Click(cd.CSS(`#activities-panel .act-title`)), cd.WaitVisible(cd.CSS(`.act-form [name=outcome]`)))
	look(t, ctx, "activity-edit")

	// 2. It is on the calendar, in week and month view.
	Do(t, ctx, cd.Navigate(srv.BaseURL+"/calendar?view=week&date="+tomorrow), cd.WaitVisible(cd.CSS(`[data-calendar]`)))
	if got := Text(t, ctx, `[data-date="`+tomorrow+`"] .cal-item`); !strings.Contains(got, "10:30") || !strings.Contains(got, "Demo for Ada") {
		t.Fatalf("week view shows %q", got)
	}
	look(t, ctx, "calendar-week")
	// Keyboard: m switches to the month, which shows the meeting too.
	Do(t, ctx, cd.KeyEvent("m"), cd.WaitVisible(cd.CSS(`.cal-month`)))
	if got := Text(t, ctx, `[data-date="`+tomorrow+`"] .cal-item`); !strings.Contains(got, "Demo for Ada") {
		t.Fatalf("month view shows %q", got)
	}
	look(t, ctx, "calendar-month")

	// 3. The private feed: made in settings, read by a calendar client.
	Do(t, ctx, cd.Navigate(srv.BaseURL+"/settings/calendar"), cd.WaitVisible(cd.CSS(`.feed-actions`)),
		cd.Click(cd.CSS(`.feed-actions button[type=submit]`)), cd.WaitVisible(cd.CSS(`#feed-url`)))
	feed := Eval[string](t, ctx, `document.querySelector("#feed-url").value`)
	cal := fetchCalendar(t, feed, http.StatusOK)
	var found bool
	for _, ev := range cal.Events() {
		title, _ := ev.Props.Text(ical.PropSummary)
		where, _ := ev.Props.Text(ical.PropLocation)
		start, err := ev.DateTimeStart(time.UTC)
		end, _ := ev.DateTimeEnd(time.UTC)
		if title == "Demo for Ada" {
			found = true
			if where != "Room 1, floor 2" || err != nil || start.Format("2006-01-02 15:04") != tomorrow+" 10:30" || end.Sub(start) != 45*time.Minute {
				t.Fatalf("feed event: %q at %v–%v (%v)", where, start, end, err)
			}
		}
	}
	if !found {
		t.Fatalf("the meeting is not in the feed")
	}

	// 4. My day: a task added for today is checked off in place.
	Do(t, ctx, cd.Navigate(srv.BaseURL+"/my-day"), cd.WaitVisible(cd.CSS(`.quick-activity`)),
		// On a loaded machine a submit before htmx has wired the form is a
		// plain post that leaves the page: wait for it, as a person would.
		cd.Poll[cd.Void](`typeof htmx !== "undefined" && document.readyState === "complete"`), cd.Sleep(200*time.Millisecond),
		cd.SendKeys(cd.CSS(`.quick-activity [name=title]`), "Send Ada the deck"),
		cd.SetValue(cd.CSS(`.quick-activity [name=time]`), "23:59"),
		cd.Click(cd.CSS(`.quick-activity button[type=submit]`)),
		cd.WaitVisible(cd.CSS(`#bucket-today li.act`)))
	look(t, ctx, "my-day")
	Eval[bool](t, ctx, `window.__samePage = true`)
	Do(t, ctx, cd.Click(cd.CSS(`#bucket-today li.act button.check`)), cd.WaitVisible(cd.CSS(`#bucket-today li.act.done`)))
	if !Eval[bool](t, ctx, `window.__samePage === true`) {
		t.Fatal("checking off reloaded the page")
	}
	// And by keyboard: j highlights the first activity, x reopens it.
	Do(t, ctx, cd.Click(cd.CSS(`h1`)), cd.KeyEvent("j"), cd.WaitVisible(cd.CSS(`li.act.cursor`)))
	first := Eval[string](t, ctx, `document.querySelector("li.act.cursor").id`)
	Do(t, ctx, cd.KeyEvent("x"))
	if first == Eval[string](t, ctx, `document.querySelector("#bucket-today li.act").id`) {
		Do(t, ctx, cd.WaitNotPresent(cd.CSS(`#bucket-today li.act.done`)))
	}

	// 5. A new link replaces the old one.
	Do(t, ctx, cd.Navigate(srv.BaseURL+"/settings/calendar"), cd.WaitVisible(cd.CSS(`.feed-actions`)),
		cd.Click(cd.CSS(`.feed-actions form[action="/settings/calendar/feed"] button`)), cd.WaitVisible(cd.CSS(`#feed-url`)))
	look(t, ctx, "settings-calendar")
	fetchCalendar(t, feed, http.StatusNotFound)
	fetchCalendar(t, Eval[string](t, ctx, `document.querySelector("#feed-url").value`), http.StatusOK)
}

func fetchCalendar(t *testing.T, url string, status int) *ical.Calendar {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != status {
		t.Fatalf("GET %s: %d, want %d\n%s", url, resp.StatusCode, status, body)
	}
	if status != http.StatusOK {
		return nil
	}
	if ct := resp.Header.Get("Content-Type"); !strings.HasPrefix(ct, "text/calendar") {
		t.Fatalf("content type %q", ct)
	}
	cal, err := ical.NewDecoder(strings.NewReader(string(body))).Decode()
	if err != nil {
		t.Fatalf("the feed does not parse: %v\n%s", err, body)
	}
	return cal
}
