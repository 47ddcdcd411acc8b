package e2e

import (
	"context"
	"net/url"
	"os"
	"path/filepath"
	"testing"

	cd "github.com/chromedp/chromedp"
)

// TestScreenshots photographs the main pages at desktop and phone size for
// people to look at (docs/screenshots). It runs only when asked:
//
//	TANDEM_SCREENSHOTS=$PWD/docs/screenshots go test ./e2e -run Screenshots
func TestScreenshots(t *testing.T) {
	dir := os.Getenv("TANDEM_SCREENSHOTS")
	if dir == "" {
		t.Skip("set TANDEM_SCREENSHOTS to a folder to take screenshots")
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	srv := StartServer(t, Options{})
	ctx := Browser(t)
	both := func(name string) {
		t.Helper()
		shoot(t, ctx, filepath.Join(dir, name+"-desktop.png"), 1280, 800)
		shoot(t, ctx, filepath.Join(dir, name+"-phone.png"), 390, 844)
	}

	Do(t, ctx, cd.Navigate(srv.SetupURL), cd.WaitVisible(cd.CSS(`#f-workspace`)))
	both("setup")
	Do(t, ctx,
		cd.SendKeys(cd.CSS(`#f-workspace`), "Northwind Sales"),
		cd.SendKeys(cd.CSS(`#f-name`), "Nora Owner"),
		cd.SendKeys(cd.CSS(`#f-email`), "nora@northwind"),
		cd.SendKeys(cd.CSS(`#f-password`), "short"),
		cd.Click(cd.CSS(`button[type=submit]`)),
		cd.WaitVisible(cd.CSS(`.field-error`)),
	)
	shoot(t, ctx, filepath.Join(dir, "setup-error-desktop.png"), 1280, 800)
	Do(t, ctx,
		cd.SetValue(cd.CSS(`#f-email`), "nora@northwind.example"),
		cd.SendKeys(cd.CSS(`#f-password`), "correct horse battery staple"),
		cd.Click(cd.CSS(`button[type=submit]`)),
		cd.WaitVisible(cd.CSS(`.stats`)),
	)
	both("home-empty")

	for _, c := range demoCompanies {
		Post(t, ctx, "/companies", url.Values{"name": {c[0]}, "domain": {c[1]}, "industry": {c[2]}})
	}
	Do(t, ctx, cd.Navigate(srv.BaseURL+"/companies"), cd.WaitVisible(cd.CSS(`#company-rows tr`)))
	ids := Eval[map[string]string](t, ctx, `Object.fromEntries([...document.querySelectorAll("#company-rows tr")].map(
		tr => [tr.querySelector("a").textContent, tr.id.replace("company-", "")]))`)
	for _, p := range [][4]string{{"Ada", "Lovelace", "ada@contoso.example", "Contoso Ltd"},
		{"Grace", "Hopper", "grace@fabrikam.example", "Fabrikam"}, {"Linus", "", "linus@initech.example", "Initech"},
		{"Margaret", "Hamilton", "margaret@globex.example", "Globex Corporation"}, {"", "", "info@umbrella.example", ""}} {
		Post(t, ctx, "/contacts", url.Values{"first_name": {p[0]}, "last_name": {p[1]}, "email": {p[2]}, "company_id": {ids[p[3]]}})
	}
	Do(t, ctx, cd.Navigate(srv.BaseURL+"/"), cd.WaitVisible(cd.CSS(`.stats`)))
	both("home")
	Do(t, ctx, cd.Navigate(srv.BaseURL+"/companies"), cd.WaitVisible(cd.CSS(`#company-rows tr`)))
	both("companies")
	Do(t, ctx, cd.Navigate(srv.BaseURL+"/contacts"), cd.WaitVisible(cd.CSS(`#contact-rows tr`)))
	both("contacts")
	// The quick-add form, its company picker open on what was typed.
	Do(t, ctx,
		cd.Evaluate[cd.Void](`document.querySelector("details.quick-add").open = true`),
		cd.SendKeys(cd.CSS(`#f-company`), "o"),
		cd.WaitVisible(cd.CSS(`#f-company-list [role=option]`)),
	)
	shoot(t, ctx, filepath.Join(dir, "contacts-add-desktop.png"), 1280, 800)
	Do(t, ctx, cd.Navigate(srv.BaseURL+"/no/such/page"), cd.WaitVisible(cd.CSS(`.error-code`)))
	both("notfound")

	// The account menu, open, on a phone.
	Do(t, ctx, cd.EmulateViewport(390, 844), cd.Navigate(srv.BaseURL+"/companies"),
		cd.WaitVisible(cd.CSS(`.who summary`)), cd.Click(cd.CSS(`.who summary`)), cd.WaitVisible(cd.CSS(`[data-sign-out]`)))
	shoot(t, ctx, filepath.Join(dir, "menu-phone.png"), 390, 844)
	Do(t, ctx, cd.Click(cd.CSS(`[data-sign-out]`)), cd.WaitVisible(cd.CSS(`form[action="/login"]`)))
	both("login")
}

var demoCompanies = [][3]string{
	{"Contoso Ltd", "contoso.example", "Software"},
	{"Fabrikam", "fabrikam.example", "Manufacturing"},
	{"Initech", "initech.example", "Consulting"},
	{"Globex Corporation", "globex.example", "Energy"},
	{"Umbrella Health", "umbrella.example", "Healthcare"},
	{"Wayne Logistics", "wayne-logistics.example", "Transport"},
	{"Stark Retail", "", "Retail"},
	{"Soylent Foods", "soylent.example", ""},
}

// shoot photographs the current page at width × height (the viewport; the
// picture covers the whole page).
func shoot(t *testing.T, ctx context.Context, path string, width, height int64) {
	t.Helper()
	Do(t, ctx, cd.EmulateViewport(width, height))
	Screenshot(t, ctx, path)
}
