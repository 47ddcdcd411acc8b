package e2e

import (
	"context"
	"io"
	"net/http"
	"net/url"
	"regexp"
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

// TestActivityLinksInBrowser plans a call for a colleague from the full
// form: the assignee chosen, a contact found by typing in the picker, a
// company and a deal. The activity's page shows those links; unlinking the
// contact there takes it off the contact's page.
func TestActivityLinksInBrowser(t *testing.T) {
	srv := StartServer(t, Options{})
	ctx := Browser(t)
	SetUpWorkspace(t, ctx, srv, Owner{Workspace: "Northwind Sales", Name: "Nora Owner", Email: "nora@northwind.example", Password: "correct horse battery staple"})
	seedPeople(t, ctx, srv)
	addMember(t, ctx, srv, "bob@northwind.example", "Bob Builder")
	Post(t, ctx, "/deals", url.Values{"title": {"Contoso renewal 2027"}, "value": {"12000"}, "currency": {"USD"}})
	tomorrow := time.Now().UTC().AddDate(0, 0, 1).Format("2006-01-02")

	// 1. The full form, from the calendar's "New activity".
	Do(t, ctx, cd.Navigate(srv.BaseURL+"/calendar"), cd.WaitVisible(cd.CSS(`[data-calendar]`)),
		cd.Click(cd.CSS(`.cal-modes a[href^="/activities/new"]`)), cd.WaitVisible(cd.CSS(`.act-form [name=owner_id]`)), Settled(),
		cd.SetValue(cd.CSS(`.act-form [name=type]`), "call"),
		cd.SendKeys(cd.CSS(`.act-form [name=title]`), "Call Ada about the renewal"),
		cd.SetValue(cd.CSS(`.act-form [name=date]`), tomorrow),
		cd.SetValue(cd.CSS(`.act-form [name=time]`), "11:00"))
	bob := Eval[string](t, ctx, `[...document.querySelectorAll(".act-form [name=owner_id] option")].find(o => o.textContent === "Bob Builder").value`)
	Do(t, ctx, cd.SetValue(cd.CSS(`.act-form [name=owner_id]`), bob))
	pick(t, ctx, "#a-contact", "Lovel", "Ada Lovelace")
	Do(t, ctx, cd.WaitVisible(cd.CSS(`.act-chip`)))
	if got := Text(t, ctx, `.act-chips`); !strings.Contains(got, "Ada Lovelace") || Eval[string](t, ctx, `document.querySelector("#a-contact").value`) != "" {
		t.Fatalf("after choosing Ada: chips %q, picker %q", got, Eval[string](t, ctx, `document.querySelector("#a-contact").value`))
	}
	pick(t, ctx, "#a-company", "Contoso", "Contoso Ltd")
	pick(t, ctx, "#a-deal", "renewal", "Contoso renewal 2027")
	look(t, ctx, "activity-new-links")
	Do(t, ctx, cd.Click(cd.CSS(`.act-form button[type=submit]`)), cd.WaitVisible(cd.CSS(`.flash-ok`)))
	if got := Text(t, ctx, `.flash-ok`); !strings.Contains(got, "Call “Call Ada about the renewal” added for Bob Builder.") {
		t.Fatalf("flash %q", got)
	}

	// 2. Ada's page lists it, assigned to Bob; its page shows the links.
	ada := contactPath(t, ctx, srv, "Ada")
	Do(t, ctx, cd.Navigate(srv.BaseURL+ada), cd.WaitVisible(cd.CSS(`#activities-panel li.act`)))
	if got := Text(t, ctx, `#activities-panel li.act`); !strings.Contains(got, "Call Ada about the renewal") || !strings.Contains(got, "Bob Builder") ||
		!strings.Contains(got, "Contoso Ltd") || !strings.Contains(got, "Contoso renewal 2027") {
		t.Fatalf("panel row %q", got)
	}
	Do(t, ctx, cd.Click(cd.CSS(`#activities-panel .act-title`)), cd.WaitVisible(cd.CSS(`.act-form [name=outcome]`)), Settled())
	if got := Text(t, ctx, `.act-chips`); !strings.Contains(got, "Ada Lovelace") {
		t.Fatalf("contacts on the activity page: %q", got)
	}
	for css, want := range map[string]string{"#a-company" + activityID(t, ctx): "Contoso Ltd", "#a-deal" + activityID(t, ctx): "Contoso renewal 2027"} {
		if got := Eval[string](t, ctx, `document.querySelector("`+css+`").value`); got != want {
			t.Fatalf("%s shows %q, want %q", css, got, want)
		}
	}
	if got := Eval[string](t, ctx, `(s => s.options[s.selectedIndex].textContent)(document.querySelector(".act-form [name=owner_id]"))`); got != "Bob Builder" {
		t.Fatalf("assignee shown: %q", got)
	}
	look(t, ctx, "activity-links")

	// 3. Unlink Ada (untick her chip) and save: her page no longer lists it.
	Do(t, ctx, cd.Click(cd.CSS(`.act-chip`)))
	if Eval[bool](t, ctx, `document.querySelector(".act-chip input").checked`) {
		t.Fatal("clicking the chip did not untick it")
	}
	Do(t, ctx, cd.Click(cd.CSS(`.act-form button[type=submit]`)), cd.WaitVisible(cd.CSS(`.flash-ok`)))
	Do(t, ctx, cd.Navigate(srv.BaseURL+ada), cd.WaitVisible(cd.CSS(`#activities-panel .act-empty`)))
	if got := Text(t, ctx, `#activities-panel`); strings.Contains(got, "Call Ada about the renewal") {
		t.Fatalf("Ada's panel still lists it: %q", got)
	}
	if tl := Text(t, ctx, `.timeline`); !strings.Contains(tl, "Call Ada about the renewal") {
		t.Fatalf("Ada's timeline lacks the call's history:\n%s", tl)
	}
}

// pick types into a record picker and chooses the match named name.
func pick(t *testing.T, ctx context.Context, css, typed, name string) {
	t.Helper()
	Do(t, ctx, cd.Click(cd.CSS(css)), cd.SendKeys(cd.CSS(css), typed),
		cd.Poll[cd.Void](`[...document.querySelectorAll("`+css+`-list [role=option]")].some(o => o.dataset.name === `+jsString(name)+`)`))
	Eval[bool](t, ctx, `(o => { o.dispatchEvent(new MouseEvent("mousedown", {bubbles: true})); return true })(
		[...document.querySelectorAll("`+css+`-list [role=option]")].find(o => o.dataset.name === `+jsString(name)+`))`)
}

// activityID is the id of the activity whose page is open.
func activityID(t *testing.T, ctx context.Context) string {
	return Eval[string](t, ctx, `location.pathname.split("/").pop()`)
}

// contactPath is the page of the first contact whose name contains name.
func contactPath(t *testing.T, ctx context.Context, srv *Server, name string) string {
	t.Helper()
	Do(t, ctx, cd.Navigate(srv.BaseURL+"/contacts"), cd.WaitVisible(cd.CSS(`#contact-rows tr`)))
	return Eval[string](t, ctx, `[...document.querySelectorAll("#contact-rows tr a")].find(a => a.textContent.includes(`+jsString(name)+`)).getAttribute("href")`)
}

// addMember invites a member as the signed-in owner and accepts the
// invitation outside the browser, so the owner stays signed in.
func addMember(t *testing.T, ctx context.Context, srv *Server, email, name string) {
	t.Helper()
	page, err := cd.Run(ctx, cd.Evaluate[string](`fetch("/settings/invitations", {method: "POST", body: new URLSearchParams({email: `+jsString(email)+`, role: "member"})}).then(r => r.text())`, cd.EvalAwaitPromise))
	if err != nil {
		t.Fatal(err)
	}
	token := regexp.MustCompile(`/invite\?token=([A-Za-z0-9_-]+)`).FindStringSubmatch(page)
	if token == nil {
		t.Fatalf("no invitation link in:\n%.2000s", page)
	}
	resp, err := http.PostForm(srv.BaseURL+"/invite", url.Values{"token": {token[1]}, "name": {name}, "password": {"a long enough phrase"}})
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode >= 400 {
		t.Fatalf("accepting the invitation: %d", resp.StatusCode)
	}
}
