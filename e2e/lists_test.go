package e2e

import (
	"context"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"

	cd "github.com/chromedp/chromedp"
)

// look saves a screenshot at desktop and phone width when TANDEM_LOOK names
// a folder (for people iterating on the pages).
func look(t *testing.T, ctx context.Context, name string) {
	t.Helper()
	dir := os.Getenv("TANDEM_LOOK")
	if dir == "" {
		return
	}
	// From the top: a full-page screenshot of a scrolled page draws the
	// sticky sidebar and title bar where the viewport was.
	Do(t, ctx, cd.Evaluate[cd.Void](`window.scrollTo(0, 0)`))
	shoot(t, ctx, filepath.Join(dir, name+"-desktop.png"), 1280, 800)
	shoot(t, ctx, filepath.Join(dir, name+"-phone.png"), 390, 844)
	Do(t, ctx, cd.EmulateViewport(1280, 800))
}

// seedPeople adds the demo companies and a few contacts through the forms.
func seedPeople(t *testing.T, ctx context.Context, srv *Server) {
	t.Helper()
	for _, c := range demoCompanies {
		Post(t, ctx, "/companies", url.Values{"name": {c[0]}, "domain": {c[1]}, "industry": {c[2]}})
	}
	Do(t, ctx, cd.Navigate(srv.BaseURL+"/companies"), cd.WaitVisible(cd.CSS(`#company-rows tr`)))
	ids := Eval[map[string]string](t, ctx, `Object.fromEntries([...document.querySelectorAll("#company-rows tr")].map(
		tr => [tr.querySelector("a").textContent, tr.id.replace("company-", "")]))`)
	for _, p := range [][4]string{{"Ada", "Lovelace", "ada@contoso.example", "Contoso Ltd"},
		{"Grace", "Hopper", "grace@fabrikam.example", "Fabrikam"}, {"Linus", "Torvalds", "linus@initech.example", "Initech"},
		{"Margaret", "Hamilton", "margaret@globex.example", "Globex Corporation"}, {"Katherine", "Johnson", "kj@umbrella.example", "Umbrella Health"}} {
		Post(t, ctx, "/contacts", url.Values{"first_name": {p[0]}, "last_name": {p[1]}, "email": {p[2]}, "company_id": {ids[p[3]]}})
	}
}

// TestListViews walks the people workflow end to end: a custom field made
// in settings, set inline on a contact, the list filtered by it (builder
// and text), saved as a view, picked again after a reload, and a bulk edit.
func TestListViews(t *testing.T) {
	srv := StartServer(t, Options{})
	ctx := Browser(t)
	SetUpWorkspace(t, ctx, srv, Owner{Workspace: "Northwind Sales", Name: "Nora Owner", Email: "nora@northwind.example", Password: "correct horse battery staple"})
	seedPeople(t, ctx, srv)

	// 1. A custom field, made in settings.
	Do(t, ctx, cd.Navigate(srv.BaseURL+"/settings/fields"), cd.WaitVisible(cd.CSS(`#ff-label`)),
		cd.SendKeys(cd.CSS(`#ff-label`), "Region"),
		cd.SetValue(cd.CSS(`#ff-type`), "select"),
		cd.SendKeys(cd.CSS(`#ff-options`), "EMEA, AMER, APAC"),
		cd.Click(cd.CSS(`#field-form button[type=submit]`)),
		cd.WaitVisible(cd.CSS(`[data-field-key="region"]`)))
	look(t, ctx, "fields")

	// 2. Set it inline on two contacts.
	Do(t, ctx, cd.Navigate(srv.BaseURL+"/contacts"), cd.WaitVisible(cd.CSS(`#contact-rows tr`)))
	if got := Text(t, ctx, `[data-total]`); got != "5 contacts" {
		t.Fatalf("total = %q", got)
	}
	look(t, ctx, "contacts")
	// On a phone the rows are cards: nothing scrolls sideways, every
	// row's name and email are in view, and a row can still be selected.
	Do(t, ctx, cd.EmulateViewport(390, 844), cd.Reload(), cd.WaitVisible(cd.CSS(`#contact-rows tr`)))
	phone := Eval[map[string]float64](t, ctx, `(() => {
		const wrap = document.querySelector(".table-wrap"), rows = [...document.querySelectorAll("#contact-rows tr")];
		const right = Math.max(...rows.flatMap(r => [...r.querySelectorAll("td")].map(td => td.getBoundingClientRect().right)));
		const name = rows[0].querySelector("td:nth-child(2)").getBoundingClientRect(), sel = rows[0].querySelector("td.sel").getBoundingClientRect();
		return {overflow: wrap.scrollWidth - wrap.clientWidth, right: right, nameTop: name.top - sel.top};
	})()`)
	if phone["overflow"] > 0 || phone["right"] > 390 || phone["nameTop"] > 8 {
		t.Errorf("the contact list on a phone: %+v, want cards within 390 px with the name beside the select box", phone)
	}
	if !Fits(t, ctx) {
		t.Error("the contact list scrolls sideways at 390px")
	}
	Do(t, ctx, cd.Click(cd.CSS(`#contact-rows tr:first-child input[data-select]`)))
	if !Eval[bool](t, ctx, `document.querySelector("#contact-rows tr:first-child input[data-select]").checked`) {
		t.Error("a row's select box does not respond on a phone")
	}
	Do(t, ctx, cd.EmulateViewport(1280, 800))
	for _, name := range []string{"Ada Lovelace", "Grace Hopper"} {
		Do(t, ctx, cd.Navigate(srv.BaseURL+"/contacts"), cd.WaitVisible(cd.CSS(`#contact-rows tr`)))
		Do(t, ctx, cd.Click(cd.Search(`//tbody//a[text()="`+name+`"]`)), cd.WaitVisible(cd.CSS(`[data-fact="custom.region"] [data-edit]`)),
			cd.Click(cd.CSS(`[data-fact="custom.region"] [data-edit]`)),
			cd.WaitVisible(cd.CSS(`[data-fact="custom.region"] select[name=value]`)),
			cd.SetValue(cd.CSS(`[data-fact="custom.region"] select[name=value]`), "EMEA"),
			cd.Click(cd.CSS(`[data-fact="custom.region"] button[type=submit]`)),
			cd.WaitVisible(cd.CSS(`[data-fact="custom.region"] [data-edit]`)))
		if got := Text(t, ctx, `[data-fact="custom.region"] dd`); got != "EMEA" {
			t.Fatalf("region of %s = %q", name, got)
		}
	}
	look(t, ctx, "contact")

	// 3. Filter the list by it with the builder…
	Do(t, ctx, cd.Navigate(srv.BaseURL+"/contacts"), cd.WaitVisible(cd.CSS(`[data-builder-add]`)),
		cd.Click(cd.CSS(`[data-builder-add]`)),
		cd.SetValue(cd.CSS(`[data-builder-row] [data-b-field]`), "custom.region"),
		cd.Evaluate[cd.Void](`document.querySelector("[data-b-field]").dispatchEvent(new Event("change", {bubbles: true}))`),
		cd.SetValue(cd.CSS(`[data-builder-row] [data-b-op]`), "="),
		cd.Evaluate[cd.Void](`document.querySelector("[data-b-op]").dispatchEvent(new Event("change", {bubbles: true}))`),
		cd.SetValue(cd.CSS(`[data-builder-row] select[data-b-value]`), "EMEA"),
		cd.Evaluate[cd.Void](`document.querySelector("[data-b-value]").dispatchEvent(new Event("change", {bubbles: true}))`))
	if got := Eval[string](t, ctx, `document.querySelector("#filter-text").value`); got != `custom.region = "EMEA"` {
		t.Fatalf("builder wrote %q", got)
	}
	Do(t, ctx, cd.Click(cd.CSS(`[data-filter-form] button[type=submit]`)), cd.Poll[cd.Void](`document.querySelector("[data-total]").textContent === "2 contacts"`))
	look(t, ctx, "contacts-filtered")
	// …and as text, with a typo first.
	Do(t, ctx, cd.SetValue(cd.CSS(`#filter-text`), `custom.regon = "EMEA"`), cd.Click(cd.CSS(`[data-filter-form] button[type=submit]`)),
		cd.WaitVisible(cd.CSS(`#filter-error`)))
	if got := Text(t, ctx, `#filter-error`); !strings.Contains(got, "did you mean 'custom.region'") {
		t.Fatalf("filter error = %q", got)
	}
	look(t, ctx, "contacts-filter-error")
	Do(t, ctx, cd.SetValue(cd.CSS(`#filter-text`), `custom.region = "EMEA" and lifecycle = "lead"`),
		cd.Click(cd.CSS(`[data-filter-form] button[type=submit]`)),
		cd.Poll[cd.Void](`document.querySelector("[data-total]") && document.querySelector("[data-total]").textContent === "2 contacts"`))
	if n := Eval[int](t, ctx, `document.querySelectorAll("[data-builder-row]").length`); n != 2 {
		t.Fatalf("builder rebuilt %d rows from the text, want 2", n)
	}

	// 4. Save the view, reload, pick it.
	Do(t, ctx, cd.Click(cd.CSS(`.view-actions summary`)), cd.SendKeys(cd.CSS(`#view-name`), "EMEA leads"),
		cd.Click(cd.CSS(`[data-save-view]`)), cd.WaitVisible(cd.CSS(`.view-tabs a.on[data-view-id]`)))
	Do(t, ctx, cd.Navigate(srv.BaseURL+"/contacts"), cd.WaitVisible(cd.CSS(`[data-view-id]`)))
	if got := Text(t, ctx, `[data-total]`); got != "5 contacts" {
		t.Fatalf("all contacts after reload = %q", got)
	}
	Do(t, ctx, cd.Click(cd.CSS(`[data-view-id]`)), cd.WaitVisible(cd.CSS(`.view-tabs a.on[data-view-id]`)),
		cd.Poll[cd.Void](`document.querySelector("[data-total]").textContent === "2 contacts"`))
	look(t, ctx, "contacts-view")

	// 5. Bulk-edit the two contacts' lifecycle, with the count confirmed.
	Do(t, ctx, cd.Click(cd.CSS(`[data-select-all]`)),
		cd.SetValue(cd.CSS(`[data-bulk-field]`), "lifecycle"),
		cd.Evaluate[cd.Void](`document.querySelector("[data-bulk-field]").dispatchEvent(new Event("change", {bubbles: true}))`),
		cd.SetValue(cd.CSS(`[data-bulk-value="lifecycle"]`), "customer"),
		cd.Click(cd.CSS(`[data-bulk-apply]`)), cd.WaitVisible(cd.CSS(`[data-bulk-confirm-yes]`)))
	if got := Text(t, ctx, `[data-bulk-confirm] p`); !strings.Contains(got, "2 contacts") {
		t.Fatalf("confirmation = %q", got)
	}
	look(t, ctx, "contacts-bulk-confirm")
	Do(t, ctx, cd.Click(cd.CSS(`[data-bulk-confirm-yes]`)), cd.WaitVisible(cd.CSS(`.flash-ok`)))
	if got := Text(t, ctx, `.flash-ok`); !strings.Contains(got, "Changed 2 contacts") {
		t.Fatalf("flash = %q", got)
	}
	// 6. The change shows: the view's filter (lifecycle = "lead") now matches nobody; all contacts list two customers.
	Do(t, ctx, cd.Navigate(srv.BaseURL+`/contacts?filter=`+url.QueryEscape(`lifecycle = "customer"`)),
		cd.WaitVisible(cd.CSS(`#contact-rows tr`)))
	if got := Text(t, ctx, `[data-total]`); got != "2 contacts" {
		t.Fatalf("customers = %q", got)
	}
	look(t, ctx, "contacts-after-bulk")

	// Keyboard: j moves the highlight, Enter opens the record (swapped
	// in, not a whole page load: a mark set on the page survives).
	Do(t, ctx, cd.Evaluate[cd.Void](`window.tandemStayed = true`), cd.KeyEvent("j"), cd.KeyEvent("\r"), cd.WaitVisible(cd.CSS(`[data-fact="first_name"]`)))
	if !Eval[bool](t, ctx, `window.tandemStayed === true && location.pathname.startsWith("/contacts/")`) {
		t.Fatalf("Enter on a row: whole page loaded, or the address is %s", Eval[string](t, ctx, `location.pathname`))
	}
	Do(t, ctx, cd.Navigate(srv.BaseURL+"/companies"), cd.WaitVisible(cd.CSS(`#company-rows tr`)))
	look(t, ctx, "companies")
}
