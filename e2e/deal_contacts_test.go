package e2e

import (
	"net/url"
	"strings"
	"testing"

	"github.com/chromedp/chromedp/kb"

	cd "github.com/chromedp/chromedp"
)

// TestDealContactsAndPipelines: on a deal's page, choose the primary
// contact by typing in the picker, add a second contact with a role and
// change the role in place, all without a reload; after a reload both are
// there. Then move the deal to a stage of another pipeline. The page fits
// a phone's width.
func TestDealContactsAndPipelines(t *testing.T) {
	srv := StartServer(t, Options{})
	ctx := Browser(t)
	SetUpWorkspace(t, ctx, srv, Owner{Workspace: "Deal Co", Name: "Dee Dealer", Email: "dee@deal.example", Password: "correct horse battery staple"})
	seedPeople(t, ctx, srv)
	Post(t, ctx, "/settings/pipelines", url.Values{"name": {"Renewals"}, "stages": {"Due, Quoted, Signed"}})
	id, err := cd.Run(ctx, cd.Evaluate[string](`fetch("/deals", {method: "POST", body: new URLSearchParams(`+
		jsString(url.Values{"title": {"Contoso rollout"}, "value": {"48000"}, "currency": {"USD"}}.Encode())+
		`)}).then(r => r.url.split("/").pop())`, cd.EvalAwaitPromise))
	if err != nil {
		t.Fatal(err)
	}

	// The primary contact, in place: type part of the name, Enter chooses
	// the match, a second Enter saves.
	contact := `[data-fact="contact"]`
	Do(t, ctx,
		cd.Navigate(srv.BaseURL+"/deals/"+id),
		cd.WaitVisible(cd.CSS(contact+` a[data-edit]`)),
		cd.Evaluate[cd.Void](`window.samePage = true`),
		cd.Click(cd.CSS(contact+` a[data-edit]`)),
		cd.WaitVisible(cd.CSS(contact+` [data-picker-text]`)),
		// Focused, it offers the newest contacts at once.
		cd.WaitVisible(cd.CSS(contact+` .picker-list [role=option]`)), Settled(),
		cd.SendKeys(cd.CSS(contact+` [data-picker-text]`), "grace"),
		firstChoice(contact+` .picker-list`, "Grace Hopper"),
	)
	Do(t, ctx,
		cd.SendKeys(cd.CSS(contact+` [data-picker-text]`), kb.Enter),
		cd.WaitNotVisible(cd.CSS(contact+` .picker-list`)),
		cd.SendKeys(cd.CSS(contact+` [data-picker-text]`), kb.Enter),
		cd.WaitVisible(cd.CSS(contact+` a[data-edit]`)), Settled(),
	)
	if got := Text(t, ctx, contact); !strings.Contains(got, "Grace Hopper") {
		t.Fatalf("primary contact after the edit: %q", got)
	}
	// The Contacts panel followed, out of band.
	if got := Text(t, ctx, `#deal-contacts .dc-list`); !strings.Contains(got, "Grace Hopper") || !strings.Contains(got, "primary") {
		t.Fatalf("contacts panel after choosing the primary contact: %q", got)
	}

	// Another contact with a role, from the panel; none chosen is said in
	// place.
	Do(t, ctx,
		cd.Click(cd.CSS(`.dc-add button[type=submit]`)),
		cd.WaitVisible(cd.CSS(`.dc-add .field-error`)), Settled(),
	)
	if got := Text(t, ctx, `.dc-add .field-error`); got != "Choose a contact to add." {
		t.Fatalf("adding no one: %q", got)
	}
	look(t, ctx, "deal-contacts-error")
	Do(t, ctx,
		cd.SendKeys(cd.CSS(`#f-deal-contact`), "linus"),
		firstChoice(`#f-deal-contact-list`, "Linus Torvalds"),
		cd.SendKeys(cd.CSS(`#f-deal-contact`), kb.Enter),
		cd.WaitNotVisible(cd.CSS(`#f-deal-contact-list`)),
		cd.SendKeys(cd.CSS(`#f-deal-contact-role`), "Technical buyer"),
		cd.Click(cd.CSS(`.dc-add button[type=submit]`)),
		cd.WaitVisible(cd.CSS(`#deal-contacts [data-deal-contact] .dc-role`)), Settled(),
	)
	if got := Text(t, ctx, `#deal-contacts [data-deal-contact]`); !strings.Contains(got, "Linus Torvalds") || !strings.Contains(got, "Technical buyer") {
		t.Fatalf("the added contact: %q", got)
	}
	if v := Eval[string](t, ctx, `document.querySelector("#f-deal-contact").value`); v != "" {
		t.Fatalf("the add form kept %q after adding", v)
	}
	// Its role, in place: Enter saves.
	Do(t, ctx,
		cd.Click(cd.CSS(`#deal-contacts [data-deal-contact] .dc-role`)),
		cd.WaitVisible(cd.CSS(`#deal-contacts .dc-role-form input[name=value]`)), Settled(),
	)
	look(t, ctx, "deal-contacts-role")
	Do(t, ctx,
		cd.SendKeys(cd.CSS(`#deal-contacts .dc-role-form input[name=value]`), "Champion"+kb.Enter),
		cd.WaitVisible(cd.CSS(`#deal-contacts [data-deal-contact] .dc-role`)), Settled(),
	)
	if !Eval[bool](t, ctx, `window.samePage === true`) {
		t.Fatal("changing the deal's contacts reloaded the page")
	}
	look(t, ctx, "deal-contacts")

	// After a reload both are there.
	Do(t, ctx, cd.Reload(), cd.WaitVisible(cd.CSS(`#deal-contacts`)))
	if got := Text(t, ctx, contact); !strings.Contains(got, "Grace Hopper") {
		t.Fatalf("primary contact after a reload: %q", got)
	}
	if got := Text(t, ctx, `#deal-contacts .dc-list`); !strings.Contains(got, "Grace Hopper") || !strings.Contains(got, "Linus Torvalds") ||
		!strings.Contains(got, "Champion") {
		t.Fatalf("contacts after a reload: %q", got)
	}

	// To a stage of another pipeline: the stage editor groups them.
	stage := `[data-fact="stage"]`
	Do(t, ctx,
		cd.Click(cd.CSS(stage+` a[data-edit]`)),
		cd.WaitVisible(cd.CSS(stage+` select`)), Settled(),
	)
	groups := Eval[[]string](t, ctx, `[...document.querySelectorAll('[data-fact="stage"] optgroup')].map(g => g.label)`)
	if strings.Join(groups, ",") != "Sales,Renewals" {
		t.Fatalf("stage groups: %v", groups)
	}
	quoted := Eval[string](t, ctx, `[...document.querySelectorAll('[data-fact="stage"] option')].find(o => o.textContent.startsWith("Quoted")).value`)
	Do(t, ctx,
		cd.SetValue(cd.CSS(stage+` select`), quoted),
		cd.Click(cd.CSS(stage+` button[type=submit]`)),
		cd.WaitVisible(cd.CSS(stage+` a[data-edit]`)), Settled(),
	)
	if got := Text(t, ctx, stage); !strings.Contains(got, "Renewals › Quoted") {
		t.Fatalf("stage after the move: %q", got)
	}
	if got := Text(t, ctx, `#deal-back`); got != "← Renewals" {
		t.Fatalf("the pipeline link after the move: %q", got)
	}
	if got := Text(t, ctx, `#deal-history tbody tr`); !strings.Contains(got, "Quoted") {
		t.Fatalf("the latest stay after the move: %q", got)
	}
	// The timeline shows the move at once, on top.
	if got := Text(t, ctx, `#timeline li`); !strings.Contains(got, "Quoted") {
		t.Fatalf("the newest timeline entry after the move, without a reload: %q", got)
	}
	Do(t, ctx, cd.Navigate(srv.BaseURL+"/pipeline?pipeline="+Eval[string](t, ctx, `new URL(document.querySelector("#deal-back").href).searchParams.get("pipeline")`)),
		cd.WaitVisible(cd.CSS(`[data-board] .card`)))
	if got := column(t, ctx, "Contoso rollout"); got != "Quoted" {
		t.Fatalf("on the Renewals board the deal is in %q", got)
	}

	// At a phone's width the deal page does not scroll sideways, with the
	// role editor open too.
	Do(t, ctx, cd.EmulateViewport(390, 844), cd.Navigate(srv.BaseURL+"/deals/"+id), cd.WaitVisible(cd.CSS(`#deal-contacts`)))
	if !Fits(t, ctx) {
		t.Fatal("the deal page scrolls sideways at 390px")
	}
	Do(t, ctx, cd.Click(cd.CSS(`#deal-contacts [data-deal-contact] .dc-role`)),
		cd.WaitVisible(cd.CSS(`#deal-contacts .dc-role-form input[name=value]`)), Settled())
	if !Fits(t, ctx) {
		t.Fatal("the deal page with a role being changed scrolls sideways at 390px")
	}
	// A long title keeps the top bar to one row on a phone: the title takes
	// at most two lines beside the search box, and says itself whole on
	// hover.
	long := "Contoso global rollout of the enterprise plan across every regional office, phase two"
	longID, err := cd.Run(ctx, cd.Evaluate[string](`fetch("/deals", {method: "POST", body: new URLSearchParams(`+
		jsString(url.Values{"title": {long}, "value": {"1000"}, "currency": {"USD"}}.Encode())+
		`)}).then(r => r.url.split("/").pop())`, cd.EvalAwaitPromise))
	if err != nil {
		t.Fatal(err)
	}
	Do(t, ctx, cd.Navigate(srv.BaseURL+"/deals/"+longID), cd.WaitVisible(cd.CSS(`.topbar h1`)))
	bar := Eval[map[string]float64](t, ctx, `(() => {
		const box = s => document.querySelector(s).getBoundingClientRect(), h1 = box(".topbar h1"), search = box(".topbar .topsearch");
		return {bar: box(".topbar").height, title: h1.height, line: parseFloat(getComputedStyle(document.querySelector(".topbar h1")).lineHeight),
			sameRow: search.top < h1.bottom && h1.top < search.bottom ? 1 : 0};
	})()`)
	if bar["sameRow"] != 1 || bar["title"] > 2.5*bar["line"] {
		t.Errorf("a long title on a phone: top bar %+v, want the title in at most two lines beside the search box", bar)
	}
	if got := Eval[string](t, ctx, `document.querySelector(".topbar h1").title`); got != long {
		t.Errorf("the title's tooltip %q, want the whole title", got)
	}
	if !Fits(t, ctx) {
		t.Error("the page of a deal with a long title scrolls sideways at 390px")
	}
	look(t, ctx, "deal-long-title-phone")
	// The deals list: on a phone a card per deal, on a desktop the long
	// title cut to a line (whole in its tooltip); nothing sideways.
	for _, w := range []int64{390, 1280} {
		Do(t, ctx, cd.EmulateViewport(w, 800), cd.Navigate(srv.BaseURL+"/deals"), cd.WaitVisible(cd.CSS(`.deal-table tbody tr`)))
		if over := Eval[float64](t, ctx, `(() => { const w = document.querySelector(".deal-table-wrap"); return w.scrollWidth - w.clientWidth; })()`); over > 0 || !Fits(t, ctx) {
			t.Errorf("the deals list scrolls sideways by %.0f px at %dpx", over, w)
		}
	}
	if got := Eval[string](t, ctx, `document.querySelector(".deal-table a[title^='Contoso global']").title`); got != long {
		t.Errorf("the long title's tooltip in the list: %q", got)
	}

	// The quick-add form with its pickers, for looking at.
	Do(t, ctx, cd.Navigate(srv.BaseURL+"/deals"), cd.WaitVisible(cd.CSS(`.new-deal summary`)),
		cd.Click(cd.CSS(`.new-deal summary`)), cd.WaitVisible(cd.CSS(`#f-contact`)))
	look(t, ctx, "deal-new")
	Do(t, ctx, cd.Navigate(srv.BaseURL+"/settings/pipelines"), cd.WaitVisible(cd.CSS(`.pipeline-edit`)))
	look(t, ctx, "deal-pipelines-settings")
}

// firstChoice waits until the picker list matching list offers name first,
// selected (the answer to what was typed: the newest contacts it offered on
// focus start with another).
func firstChoice(list, name string) cd.Action[cd.Void] {
	return cd.Poll[cd.Void](`(() => { const o = document.querySelector(` + jsString(list+` [role=option]`) + `);
		return !!o && o.getAttribute("aria-selected") === "true" && o.textContent.startsWith(` + jsString(name) + `); })()`)
}
