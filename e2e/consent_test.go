package e2e

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	cd "github.com/chromedp/chromedp"
)

// TestConsentInBrowser records consent on a contact's page, opens the
// person's preference centre from its link, changes a choice there, and
// sees the change back on the contact page. With TANDEM_LOOK=<dir> it saves
// screenshots of the three pages at desktop and phone width.
func TestConsentInBrowser(t *testing.T) {
	look := os.Getenv("TANDEM_LOOK")
	srv := StartServer(t, Options{})
	ctx := Browser(t)
	SetUpWorkspace(t, ctx, srv, Owner{Workspace: "Consent Co", Name: "Cy Consent", Email: "cy@consent.test", Password: "correct horse battery"})
	Post(t, ctx, "/contacts", map[string][]string{"first_name": {"Ada"}, "last_name": {"King"}, "email": {"ada@consent.test"}})
	Post(t, ctx, "/settings/consent/suppressions", map[string][]string{"kind": {"domain"}, "value": {"spam.test"}, "op": {"add"}})
	Do(t, ctx,
		cd.Navigate(srv.BaseURL+"/contacts"),
		cd.WaitVisible(cd.CSS(`td a[href^="/contacts/"]`)),
		cd.Click(cd.CSS(`td a[href^="/contacts/"]`)),
		cd.WaitVisible(cd.CSS(`#consent`)),
		cd.SetValue(cd.CSS(`#f-cpurpose`), "marketing_email"),
		cd.SetValue(cd.CSS(`#f-cstatus`), "granted"),
		cd.SendKeys(cd.CSS(`#f-cnotice`), "privacy-2026-11"),
		cd.Click(cd.CSS(`.consent-form button[type=submit]`)),
		cd.WaitVisible(cd.CSS(`#consent .consent-granted`)),
	)
	contactURL := Eval[string](t, ctx, `location.pathname`)
	// On a phone the consent table fits its panel (no sideways scrolling):
	// the basis and source columns give way; the history keeps them.
	Do(t, ctx, cd.EmulateViewport(390, 900))
	if over := Eval[int](t, ctx, `(w => w.scrollWidth - w.clientWidth)(document.querySelector("#consent .table-wrap"))`); over > 0 {
		t.Errorf("the consent table scrolls %dpx sideways at 390px", over)
	}
	Do(t, ctx, cd.EmulateViewport(1280, 900))
	shots := func(name string) {
		if look == "" {
			return
		}
		for _, w := range []int64{1280, 390} {
			Do(t, ctx, cd.EmulateViewport(w, 900))
			if w == 390 && !Fits(t, ctx) {
				t.Errorf("%s overflows at 390px", name)
			}
			Screenshot(t, ctx, filepath.Join(look, name+"-"+map[int64]string{1280: "desktop", 390: "phone"}[w]+".png"))
		}
		Do(t, ctx, cd.EmulateViewport(1280, 900))
	}
	shots("consent-contact")
	link := Eval[string](t, ctx, `document.querySelector("#f-preflink").value`)
	if !strings.Contains(link, "/preferences/") {
		t.Fatalf("preference link: %q", link)
	}
	Do(t, ctx,
		cd.Navigate(link),
		cd.WaitVisible(cd.CSS(`input[name="p.marketing_email"][value="granted"]:checked`)),
	)
	shots("consent-preferences")
	Do(t, ctx,
		cd.Click(cd.CSS(`input[name="p.marketing_email"][value="withdrawn"]`)),
		cd.Click(cd.CSS(`input[name="p.sms"][value="granted"]`)),
		cd.Click(cd.CSS(`button[type=submit]`)),
		cd.WaitVisible(cd.CSS(`.flash-ok`)),
	)
	Do(t, ctx, cd.Navigate(srv.BaseURL+contactURL), cd.WaitVisible(cd.CSS(`#consent .consent-withdrawn`)))
	if txt := Eval[string](t, ctx, `document.querySelector("#consent").textContent`); !strings.Contains(txt, "preference_centre") || !strings.Contains(txt, "the person") {
		t.Fatalf("consent panel after the person's change:\n%s", txt)
	}
	Do(t, ctx, cd.Navigate(srv.BaseURL+"/settings/consent"), cd.WaitVisible(cd.CSS(`.tabs`)))
	if txt := Text(t, ctx, `body`); !strings.Contains(txt, "domain") || strings.Contains(txt, "spam.test") {
		t.Fatalf("suppression list:\n%s", txt)
	}
	shots("consent-settings")
}
