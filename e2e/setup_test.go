package e2e

import (
	"context"
	"net/url"
	"strings"
	"testing"
	"time"

	cd "github.com/chromedp/chromedp"
)

// TestSetupFlowInBrowser walks a new owner through the first run: a bad
// password is refused with a field message, the workspace is created, a
// company is added without a page reload, and signing out and in works.
func TestSetupFlowInBrowser(t *testing.T) {
	srv := StartServer(t, Options{})
	if srv.SetupURL == "" {
		t.Fatalf("no setup link printed:\n%s", srv.Output())
	}
	ctx := Browser(t)

	Do(t, ctx,
		cd.Navigate(srv.SetupURL),
		cd.WaitVisible(cd.CSS(`#f-workspace`)),
		cd.SendKeys(cd.CSS(`#f-workspace`), "Northwind Sales"),
		cd.SendKeys(cd.CSS(`#f-name`), "Nora Owner"),
		cd.SendKeys(cd.CSS(`#f-email`), "nora@northwind.test"),
		cd.SendKeys(cd.CSS(`#f-password`), "short"),
		cd.Click(cd.CSS(`button[type=submit]`)),
		cd.WaitVisible(cd.CSS(`#e-password`)),
	)
	if msg := Text(t, ctx, `#e-password`); !strings.Contains(msg, "at least 10 characters") {
		t.Fatalf("password error = %q", msg)
	}
	if v, _ := cd.Run(ctx, cd.Value(cd.CSS(`#f-workspace`))); v != "Northwind Sales" {
		t.Fatalf("typed workspace name lost: %q", v)
	}
	Do(t, ctx,
		cd.SendKeys(cd.CSS(`#f-password`), "correct horse battery staple"),
		cd.Click(cd.CSS(`button[type=submit]`)),
		cd.WaitVisible(cd.CSS(`.stats`)),
	)
	body := Text(t, ctx, `body`)
	if h := Text(t, ctx, `.topbar h1`); h != "Home" || !strings.Contains(body, "Northwind Sales") || !strings.Contains(body, "Your workspace is ready") {
		t.Fatalf("home after setup: heading %q body %q", h, body)
	}

	// Add a company through htmx: a refused one shows its message in place
	// (htmx swaps the 422), then the row appears and the page is not
	// reloaded (a marker set on window survives).
	Do(t, ctx,
		cd.Navigate(srv.BaseURL+"/companies"),
		cd.WaitVisible(cd.CSS(`#company-form`)),
	)
	Eval[bool](t, ctx, `window.__noReload = true`)
	Do(t, ctx,
		cd.Click(cd.CSS(`#company-form button[type=submit]`)),
		cd.WaitVisible(cd.CSS(`#company-form .field-error`)),
	)
	if msg := Text(t, ctx, `#company-form .field-error`); !strings.Contains(msg, "Enter the company") {
		t.Fatalf("company name error = %q", msg)
	}
	Do(t, ctx,
		cd.SendKeys(cd.CSS(`#f-name`), "Contoso Ltd"),
		cd.SendKeys(cd.CSS(`#f-domain`), "https://www.contoso.example/about"),
		cd.Click(cd.CSS(`#company-form button[type=submit]`)),
		cd.WaitVisible(cd.CSS(`#company-rows tr`)),
	)
	row := Text(t, ctx, `#company-rows tr`)
	if !strings.Contains(row, "Contoso Ltd") || !strings.Contains(row, "contoso.example") || !Eval[bool](t, ctx, `window.__noReload === true`) {
		t.Fatalf("after quick-add: row %q (or the page reloaded)", row)
	}
	if v, _ := cd.Run(ctx, cd.Value(cd.CSS(`#f-name`))); v != "" {
		t.Fatalf("form not cleared after add: %q", v)
	}

	// Its record page shows the timeline from the event stream.
	Do(t, ctx, cd.Click(cd.CSS(`#company-rows tr a`)), cd.WaitVisible(cd.CSS(`ol.timeline li`)))
	if tl := Text(t, ctx, `ol.timeline`); !strings.Contains(tl, "Nora Owner created this company") || !strings.Contains(tl, "domain: contoso.example") {
		t.Fatalf("timeline = %q", tl)
	}

	// Sign out from the account menu, then in again (email case does not matter).
	Do(t, ctx,
		cd.Click(cd.CSS(`.who summary`)),
		cd.Click(cd.CSS(`[data-sign-out]`)),
		cd.WaitVisible(cd.CSS(`form[action="/login"]`)),
	)
	if h := Text(t, ctx, `h1`); h != "Sign in" {
		t.Fatalf("after sign out: %q", h)
	}
	// The sign-in page arrived through hx-boost: a refused sign-in (401)
	// must still show its message, not silently do nothing.
	Do(t, ctx,
		cd.SendKeys(cd.CSS(`#f-email`), "nora@northwind.test"),
		cd.SendKeys(cd.CSS(`#f-password`), "not the password"),
		cd.Click(cd.CSS(`button[type=submit]`)),
		cd.WaitVisible(cd.CSS(`.flash-error`)),
	)
	if msg := Text(t, ctx, `.flash-error`); !strings.Contains(msg, "do not match an account") {
		t.Fatalf("wrong password message = %q", msg)
	}
	Eval[bool](t, ctx, `(document.querySelector("#f-email").value = "") === ""`)
	Do(t, ctx,
		cd.SendKeys(cd.CSS(`#f-email`), "NORA@northwind.test"),
		cd.SendKeys(cd.CSS(`#f-password`), "correct horse battery staple"),
		cd.Click(cd.CSS(`button[type=submit]`)),
		cd.WaitVisible(cd.CSS(`.stats`)),
	)
	if !strings.Contains(Text(t, ctx, `.stats`), "1") {
		t.Fatal("dashboard does not count the company")
	}

	// Keyboard: "?" opens the help, Escape closes it, "g o" goes to
	// companies without loading the whole page (a mark set on the page
	// survives), and the address bar follows.
	Do(t, ctx, cd.KeyEvent("?"), cd.WaitVisible(cd.CSS(`#shortcut-help`)), cd.KeyEvent("\x1b"), cd.WaitNotVisible(cd.CSS(`#shortcut-help`)))
	Do(t, ctx, cd.Evaluate[cd.Void](`window.tandemStayed = true`), cd.KeyEvent("g"), cd.KeyEvent("o"), cd.WaitVisible(cd.CSS(`#company-form`)))
	if !Eval[bool](t, ctx, `window.tandemStayed === true && location.pathname === "/companies"`) {
		t.Fatalf("g o: whole page loaded, or the address is %s", Eval[string](t, ctx, `location.pathname`))
	}
}

// TestPhoneWidth checks that signed-in pages, and the account menu, fit
// phone screens: nothing may scroll sideways but a table inside its frame.
func TestPhoneWidth(t *testing.T) {
	srv := StartServer(t, Options{})
	ctx := Browser(t)
	Do(t, ctx, cd.EmulateViewport(390, 844))
	SetUpWorkspace(t, ctx, srv, Owner{Workspace: "Pocket Co", Name: "Pat Phone", Email: "pat@pocket.test", Password: "a long enough phrase"})
	Post(t, ctx, "/companies", url.Values{"name": {"A company with a rather long name, Incorporated"}, "domain": {"a-very-long-domain-name.example"}})
	for _, width := range []int64{390, 360} {
		Do(t, ctx, cd.EmulateViewport(width, 800))
		for _, path := range []string{"/", "/companies", "/contacts", "/settings/security", "/nope", "/my-day", "/calendar", "/calendar?view=month", "/settings/calendar"} {
			Do(t, ctx, cd.Navigate(srv.BaseURL+path), cd.WaitVisible(cd.CSS(`body`)))
			if !Fits(t, ctx) {
				t.Errorf("%s overflows horizontally at %dpx", path, width)
			}
		}
		Do(t, ctx, cd.Navigate(srv.BaseURL+"/"), cd.Click(cd.CSS(`.who summary`)), cd.WaitVisible(cd.CSS(`[data-sign-out]`)))
		if !Fits(t, ctx) || !Eval[bool](t, ctx, `(r => r.left >= 0 && r.right <= innerWidth)(document.querySelector(".menu").getBoundingClientRect())`) {
			t.Errorf("the open account menu does not fit %dpx", width)
		}
	}
	phoneActivities(t, ctx, srv)
}

// phoneActivities checks the activity pages at 390px with activities whose
// titles and links are long (one title is a single unbreakable word).
func phoneActivities(t *testing.T, ctx context.Context, srv *Server) {
	Do(t, ctx, cd.EmulateViewport(1280, 800), cd.Navigate(srv.BaseURL+"/companies"), cd.WaitVisible(cd.CSS(`#company-rows tr`)))
	company := Eval[string](t, ctx, `document.querySelector("#company-rows tr").id.replace("company-", "")`)
	Post(t, ctx, "/contacts", url.Values{"first_name": {"Maximiliana-Josefina"}, "last_name": {"Vandenberghe-Oppenheimer"},
		"email": {"maximiliana.vandenberghe-oppenheimer@a-very-long-domain-name.example"}, "company_id": {company}})
	Post(t, ctx, "/deals", url.Values{"title": {"Enterprise rollout for every regional office, phase two of three"}, "value": {"250000"}, "currency": {"USD"}})
	pickID := func(source, q string) string {
		id, err := cd.Run(ctx, cd.Evaluate[string](`fetch("`+source+`?q=`+q+`").then(r => r.json()).then(d => d.choices[0].id)`, cd.EvalAwaitPromise))
		if err != nil {
			t.Fatalf("%s?q=%s: %v", source, q, err)
		}
		return id
	}
	contact, deal := pickID("/contacts/pick", "Maximiliana"), pickID("/deals/pick", "Enterprise")
	day := func(n int) string { return time.Now().UTC().AddDate(0, 0, n).Format("2006-01-02") }
	for i, a := range []struct{ kind, title, date, at string }{
		{"meeting", "Quarterly business review with the procurement committee and legal about the renewal terms", day(0), "23:58"},
		{"call", "Supercalifragilisticexpialidocious-contract-negotiation-follow-up-call", day(0), "23:59"},
		{"deadline", "Send the signed statement of work back to the regional procurement office", day(-1), ""},
		{"task", "Prepare the onboarding plan for every regional office before the kick-off", day(2), "09:30"},
	} {
		form := url.Values{"type": {a.kind}, "title": {a.title}, "date": {a.date}, "time": {a.at}, "contact_id": {contact}, "company_id": {company}}
		if i%2 == 0 {
			form.Set("deal_id", deal)
		}
		Post(t, ctx, "/activities", form)
	}
	Do(t, ctx, cd.Navigate(srv.BaseURL+"/my-day"), cd.WaitVisible(cd.CSS(`#bucket-today li.act`)))
	act := Eval[string](t, ctx, `document.querySelector("#bucket-today li.act .act-title").getAttribute("href")`)
	look(t, ctx, "my-day-long")
	Do(t, ctx, cd.EmulateViewport(390, 844))
	for _, path := range []string{"/my-day", "/calendar", "/calendar?view=month", act, "/activities/new", "/contacts/" + contact} {
		Do(t, ctx, cd.Navigate(srv.BaseURL+path), cd.WaitVisible(cd.CSS(`body`)), Settled())
		if !Fits(t, ctx) {
			t.Errorf("%s overflows horizontally at 390px with activities", path)
		}
	}
	Do(t, ctx, cd.Navigate(srv.BaseURL+"/calendar?view=week&date="+day(0)), cd.WaitVisible(cd.CSS(`[data-calendar]`)))
	look(t, ctx, "calendar-week-long")
	Do(t, ctx, cd.Navigate(srv.BaseURL+"/calendar?view=month&date="+day(0)), cd.WaitVisible(cd.CSS(`[data-calendar]`)))
	look(t, ctx, "calendar-month-long")
	Do(t, ctx, cd.Navigate(srv.BaseURL+act), cd.WaitVisible(cd.CSS(`.act-form`)))
	look(t, ctx, "activity-long")
}
