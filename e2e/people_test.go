package e2e

import (
	"net/url"
	"strings"
	"testing"

	cd "github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
)

// TestDomainsAndPastCompaniesInBrowser: another domain typed into a
// company's page in place; a contact moved to another company shows the
// old one under "Past companies", and one more is added from the panel's
// form without reloading the page; the company's page lists her among its
// former people. Pages are photographed when TANDEM_LOOK is set.
func TestDomainsAndPastCompaniesInBrowser(t *testing.T) {
	srv := StartServer(t, Options{})
	ctx := Browser(t)
	SetUpWorkspace(t, ctx, srv, Owner{Workspace: "People Co", Name: "Pat People", Email: "pat@people.test", Password: "correct horse battery"})
	for _, c := range [][2]string{{"Analytical Engines", "engines.example"}, {"Babbage & Co", "babbage.example"}, {"Crown Office", "crown.example"}} {
		Post(t, ctx, "/companies", url.Values{"name": {c[0]}, "domain": {c[1]}})
	}
	Do(t, ctx, cd.Navigate(srv.BaseURL+"/companies"), cd.WaitVisible(cd.CSS(`#company-rows tr`)))
	ids := Eval[map[string]string](t, ctx, `Object.fromEntries([...document.querySelectorAll("#company-rows tr")].map(
		tr => [tr.querySelector("a").textContent, tr.id.replace("company-", "")]))`)
	Post(t, ctx, "/contacts", url.Values{"first_name": {"Ada"}, "last_name": {"King"}, "email": {"ada@engines.example"}, "company_id": {ids["Analytical Engines"]}})

	// Other domains, in place: click, type, Enter.
	Do(t, ctx,
		cd.Navigate(srv.BaseURL+"/companies/"+ids["Analytical Engines"]),
		cd.WaitVisible(cd.CSS(`[data-fact="domains"] a[data-edit]`)),
		cd.Click(cd.CSS(`[data-fact="domains"] a[data-edit]`)),
		cd.WaitVisible(cd.CSS(`[data-fact="domains"] input[name=value]`)), Settled(),
		cd.SendKeys(cd.CSS(`[data-fact="domains"] input[name=value]`), "https://www.Engines.co.uk/, engines.de"+kb.Enter),
		cd.WaitVisible(cd.CSS(`[data-fact="domains"] .tag`)),
	)
	if got := Text(t, ctx, `[data-fact="domains"]`); !strings.Contains(got, "engines.co.uk") || !strings.Contains(got, "engines.de") {
		t.Fatalf("other domains: %q", got)
	}

	// Ada moves to Babbage & Co.
	Do(t, ctx, cd.Navigate(srv.BaseURL+"/contacts"), cd.WaitVisible(cd.CSS(`a[href^="/contacts/"]`)))
	ada := Eval[string](t, ctx, `[...document.querySelectorAll('a[href^="/contacts/"]')].map(a => a.getAttribute("href")).find(h => /^\/contacts\/\d+$/.test(h))`)
	// In place, with the company picker: type part of the name, Enter
	// chooses the match, a second Enter saves.
	Do(t, ctx,
		cd.Navigate(srv.BaseURL+ada),
		cd.WaitVisible(cd.CSS(`[data-fact="company"] a[data-edit]`)),
		cd.Evaluate[cd.Void](`window.samePage = true`),
		cd.Click(cd.CSS(`[data-fact="company"] a[data-edit]`)),
		cd.WaitVisible(cd.CSS(`[data-fact="company"] [data-picker-text]`)),
		// Focused, it offers the newest companies at once.
		cd.WaitVisible(cd.CSS(`[data-fact="company"] .picker-list [role=option]`)), Settled(),
		cd.SendKeys(cd.CSS(`[data-fact="company"] [data-picker-text]`), "babb"),
		cd.WaitVisible(cd.CSS(`[data-fact="company"] .picker-list [data-id="`+ids["Babbage & Co"]+`"][aria-selected=true]`)),
	)
	if got := Text(t, ctx, `[data-fact="company"] .picker-list`); !strings.Contains(got, "Babbage & Co") || !strings.Contains(got, "babbage.example") ||
		strings.Contains(got, "Crown") {
		t.Fatalf("the picker's matches for babb: %q", got)
	}
	look(t, ctx, "company-picker")
	Do(t, ctx,
		cd.SendKeys(cd.CSS(`[data-fact="company"] [data-picker-text]`), kb.Enter),
		cd.WaitNotVisible(cd.CSS(`[data-fact="company"] .picker-list`)),
	)
	if got := Eval[string](t, ctx, `document.querySelector('[data-fact="company"] [data-picker-text]').value`); got != "Babbage & Co" {
		t.Fatalf("chosen company's name in the box: %q", got)
	}
	Do(t, ctx,
		cd.SendKeys(cd.CSS(`[data-fact="company"] [data-picker-text]`), kb.Enter),
		cd.WaitVisible(cd.CSS(`[data-fact="company"] a[data-edit]`)),
	)
	if got := Text(t, ctx, `[data-fact="company"]`); !strings.Contains(got, "Babbage & Co") {
		t.Fatalf("company after the inline edit: %q", got)
	}
	if !Eval[bool](t, ctx, `window.samePage === true`) {
		t.Fatal("choosing a company reloaded the page")
	}
	if got := Text(t, ctx, `#timeline li`); !strings.Contains(got, "Babbage & Co") {
		t.Fatalf("the newest timeline entry after choosing the company, without a reload: %q", got)
	}
	Do(t, ctx, cd.Navigate(srv.BaseURL+ada), cd.WaitVisible(cd.CSS(`#past-companies`)))
	if got := Text(t, ctx, `#past-companies ul.past`); !strings.Contains(got, "Analytical Engines") {
		t.Fatalf("past companies after the move: %q", got)
	}
	// Add one from the panel: the panel is swapped, the page stays.
	Do(t, ctx,
		cd.Evaluate[cd.Void](`window.samePage = true`),
		cd.SendKeys(cd.CSS(`#f-past-company`), "crown"),
		cd.WaitVisible(cd.CSS(`#f-past-company-list [data-id="`+ids["Crown Office"]+`"]`)),
		cd.Click(cd.CSS(`#f-past-company-list [data-id="`+ids["Crown Office"]+`"]`)),
		cd.SendKeys(cd.CSS(`#f-past-title`), "Clerk"),
		cd.Click(cd.CSS(`.past-form button[type=submit]`)),
		cd.WaitVisible(cd.CSS(`#past-companies a[href="/companies/`+ids["Crown Office"]+`"]`)),
	)
	if !Eval[bool](t, ctx, `window.samePage === true`) {
		t.Fatal("adding a past company reloaded the page")
	}
	if got := Text(t, ctx, `#past-companies ul.past`); !strings.Contains(got, "Crown Office") || !strings.Contains(got, "Clerk") {
		t.Fatalf("past companies after adding: %q", got)
	}
	look(t, ctx, "contact-past-companies")
	if !Fits(t, ctx) {
		t.Error("the contact page overflows sideways")
	}
	Do(t, ctx, cd.Navigate(srv.BaseURL+"/companies/"+ids["Analytical Engines"]), cd.WaitVisible(cd.CSS(`.record-former`)))
	if got := Text(t, ctx, `.record-former`); !strings.Contains(got, "Ada King") {
		t.Fatalf("former people: %q", got)
	}
	look(t, ctx, "company-people")
	Do(t, ctx, cd.EmulateViewport(390, 844))
	if !Fits(t, ctx) {
		t.Error("the company page overflows sideways at phone width")
	}
}
