package e2e

import (
	"net/url"
	"regexp"
	"strings"
	"testing"

	cd "github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
)

// TestAddressZoneAndLinksInBrowser: on a contact's page the address opens
// as a small form of parts, the street first; Enter in a box saves and the
// address shows on its lines without a reload. A time zone shows the time
// there; a name that is no zone is refused beside the box. A link typed
// into the links editor's empty row becomes a link that opens a new tab.
// A company's address is edited the same way. Pages are photographed at
// desktop and phone width when TANDEM_LOOK is set.
func TestAddressZoneAndLinksInBrowser(t *testing.T) {
	srv := StartServer(t, Options{})
	ctx := Browser(t)
	SetUpWorkspace(t, ctx, srv, Owner{Workspace: "Places Co", Name: "Pat Places", Email: "pat@places.test", Password: "correct horse battery"})
	Post(t, ctx, "/companies", url.Values{"name": {"Analytical Engines"}, "domain": {"engines.example"}})
	Post(t, ctx, "/contacts", url.Values{"first_name": {"Ada"}, "last_name": {"King"}, "email": {"ada@engines.example"}})
	Do(t, ctx, cd.Navigate(srv.BaseURL+"/contacts"), cd.WaitVisible(cd.CSS(`#contact-rows tr`)))
	ada := Eval[string](t, ctx, `document.querySelector("#contact-rows tr a").getAttribute("href")`)

	const addr = `[data-fact="address"]`
	Do(t, ctx,
		cd.Navigate(srv.BaseURL+ada),
		cd.WaitVisible(cd.CSS(addr+` a[data-edit]`)),
		cd.Evaluate[cd.Void](`window.samePage = true`),
		cd.Click(cd.CSS(addr+` a[data-edit]`)),
		cd.WaitVisible(cd.CSS(addr+` textarea[name=street]`)), Settled(),
	)
	if got := Eval[string](t, ctx, `document.activeElement.name`); got != "street" {
		t.Fatalf("the address editor starts in %q, not the street", got)
	}
	Do(t, ctx,
		cd.SendKeys(cd.CSS(addr+` textarea[name=street]`), "Hauptstraße 1"+kb.Enter+"Hinterhaus"),
		cd.SendKeys(cd.CSS(addr+` input[name=city]`), "Berlin"),
		cd.SendKeys(cd.CSS(addr+` input[name=postal_code]`), "10115"),
		cd.SendKeys(cd.CSS(addr+` input[name=country]`), "Germany"+kb.Enter),
		cd.WaitVisible(cd.CSS(addr+` .fact-line`)),
	)
	lines := Eval[[]string](t, ctx, `[...document.querySelectorAll('[data-fact="address"] .fact-line')].map(e => e.textContent)`)
	if strings.Join(lines, " | ") != "Hauptstraße 1 | Hinterhaus | 10115 Berlin | Germany" {
		t.Fatalf("address lines: %q", lines)
	}

	const zone = `[data-fact="time_zone"]`
	Do(t, ctx,
		cd.Click(cd.CSS(zone+` a[data-edit]`)),
		cd.WaitVisible(cd.CSS(zone+` input[name=value]`)), Settled(),
		cd.SendKeys(cd.CSS(zone+` input[name=value]`), "Nowhere/Land"+kb.Enter),
		cd.WaitVisible(cd.CSS(zone+` .field-error`)),
	)
	if got := Text(t, ctx, zone+` .field-error`); !strings.Contains(got, "Choose a time zone") {
		t.Fatalf("a wrong zone's message: %q", got)
	}
	look(t, ctx, "contact-zone-error")
	Do(t, ctx,
		cd.Evaluate[cd.Void](`document.querySelector('[data-fact="time_zone"] input[name=value]').value = ""`),
		cd.SendKeys(cd.CSS(zone+` input[name=value]`), "Europe/Berlin"+kb.Enter),
		cd.WaitVisible(cd.CSS(zone+` .fact-note`)),
	)
	if got := Text(t, ctx, zone); !regexp.MustCompile(`Europe/Berlin\s*· (\w{3} )?\d\d:\d\d local`).MatchString(got) {
		t.Fatalf("time zone: %q", got)
	}

	// Other phones, typed with their labels, shown as chips; the first
	// becomes the phone, which follows at once. The page is scrolled down
	// to the time zone: brought into view for the click, the link lands
	// below the sticky title bar (scroll-padding), where it takes it.
	const phones = `[data-fact="phones"]`
	Do(t, ctx,
		cd.Click(cd.CSS(phones+` a[data-edit]`)),
		cd.WaitVisible(cd.CSS(phones+` input[name=value]`)), Settled(),
		cd.SendKeys(cd.CSS(phones+` input[name=value]`), "+44 20 7946 0001 (work); +44 7700 900001 (mobile)"+kb.Enter),
		cd.WaitVisible(cd.CSS(phones+` .tag`)), Settled(),
	)
	if got := Text(t, ctx, `[data-fact="phone"] .fact-value`) + " | " + Text(t, ctx, phones+` .tag`); got != "+44 20 7946 0001 (work) | +44 7700 900001 (mobile)" {
		t.Fatalf("phones: %q", got)
	}

	const links = `[data-fact="links"]`
	Do(t, ctx,
		cd.Click(cd.CSS(links+` a[data-edit]`)),
		cd.WaitVisible(cd.CSS(links+` input[name=link_url]`)), Settled(),
		cd.SendKeys(cd.CSS(links+` input[name=link_url]`), "linkedin.com/in/ada-king"+kb.Enter),
		cd.WaitVisible(cd.CSS(links+` .fact-links a`)), Settled(),
	)
	a := Eval[map[string]string](t, ctx, `(a => ({text: a.textContent, href: a.href, target: a.target, rel: a.rel}))(document.querySelector('[data-fact="links"] .fact-links a'))`)
	if a["text"] != "LinkedIn" || a["href"] != "https://linkedin.com/in/ada-king" || a["target"] != "_blank" || a["rel"] != "noopener noreferrer nofollow" {
		t.Fatalf("the link: %v", a)
	}
	// Enter in the new row saves it (not the first row's remove button).
	Do(t, ctx,
		cd.Click(cd.CSS(links+` a[data-edit]`)),
		cd.WaitVisible(cd.CSS(links+` .link-row:last-child input[name=link_url]`)), Settled(),
		cd.SendKeys(cd.CSS(links+` .link-row:last-child input[name=link_url]`), "github.com/ada-king"+kb.Enter),
		cd.WaitVisible(cd.CSS(links+` .fact-links a:nth-child(2)`)), Settled(),
	)
	if got := Text(t, ctx, links+` .fact-links`); !strings.Contains(got, "LinkedIn") || !strings.Contains(got, "GitHub") {
		t.Fatalf("links after adding a second: %q", got)
	}
	// ✕ removes one and keeps the editor open; Escape closes it.
	Do(t, ctx,
		cd.Click(cd.CSS(links+` a[data-edit]`)),
		cd.WaitVisible(cd.CSS(links+` .link-remove`)), Settled(),
		cd.Click(cd.CSS(links+` .link-remove`)),
		cd.Poll[cd.Void](`document.querySelectorAll('[data-fact="links"] .link-remove').length === 1`), Settled(),
	)
	if got := Eval[string](t, ctx, `document.querySelector('[data-fact="links"] input[name=link_url]').value`); got != "https://github.com/ada-king" {
		t.Fatalf("the link left after removing the first: %q", got)
	}
	Do(t, ctx,
		cd.SendKeys(cd.CSS(links+` .link-row:last-child input[name=link_url]`), kb.Escape),
		cd.WaitVisible(cd.CSS(links+` .fact-links a`)),
	)
	if got := Text(t, ctx, links+` .fact-links`); got != "GitHub" {
		t.Fatalf("links after removing one: %q", got)
	}
	if !Eval[bool](t, ctx, `window.samePage === true`) {
		t.Fatal("editing in place reloaded the page")
	}
	if got := Text(t, ctx, `#timeline li`); !strings.Contains(got, "links") {
		t.Fatalf("the newest timeline entry: %q", got)
	}
	look(t, ctx, "contact-details")
	Do(t, ctx, cd.EmulateViewport(390, 844))
	if !Fits(t, ctx) {
		t.Error("the contact page overflows sideways at phone width")
	}
	// The editors at phone width.
	Do(t, ctx, cd.Click(cd.CSS(addr+` a[data-edit]`)), cd.WaitVisible(cd.CSS(addr+` textarea[name=street]`)), Settled(),
		cd.Click(cd.CSS(links+` a[data-edit]`)), cd.WaitVisible(cd.CSS(links+` input[name=link_url]`)), Settled())
	if !Fits(t, ctx) {
		t.Error("the address and links editors overflow sideways at phone width")
	}
	look(t, ctx, "contact-editors")

	// A company's address, the same way.
	Do(t, ctx, cd.Navigate(srv.BaseURL+"/companies"), cd.WaitVisible(cd.CSS(`#company-rows tr a`)))
	co := Eval[string](t, ctx, `document.querySelector("#company-rows tr a").getAttribute("href")`)
	Do(t, ctx,
		cd.Navigate(srv.BaseURL+co),
		cd.WaitVisible(cd.CSS(addr+` a[data-edit]`)),
		cd.Click(cd.CSS(addr+` a[data-edit]`)),
		cd.WaitVisible(cd.CSS(addr+` textarea[name=street]`)), Settled(),
		cd.SendKeys(cd.CSS(addr+` textarea[name=street]`), "12 Engine Row"),
		cd.SendKeys(cd.CSS(addr+` input[name=city]`), "London"),
		cd.SendKeys(cd.CSS(addr+` input[name=postal_code]`), "EC1A 1BB"),
		cd.SendKeys(cd.CSS(addr+` input[name=country]`), "United Kingdom"+kb.Enter),
		cd.WaitVisible(cd.CSS(addr+` .fact-line`)),
	)
	if got := Text(t, ctx, addr); !strings.Contains(got, "EC1A 1BB London") {
		t.Fatalf("company address: %q", got)
	}
	look(t, ctx, "company-address")
	Do(t, ctx, cd.Navigate(srv.BaseURL+"/companies?columns=city,country"), cd.WaitVisible(cd.CSS(`#company-rows tr`)))
	if got := Text(t, ctx, `#company-rows tr`); !strings.Contains(got, "London") || !strings.Contains(got, "United Kingdom") {
		t.Fatalf("the company row with city and country: %q", got)
	}
}
