package e2e

import (
	"strings"
	"testing"

	cd "github.com/chromedp/chromedp"
)

// TestMergeDuplicatesInBrowser finds a duplicate from a contact's page,
// chooses a field on the merge screen, merges, and sees one contact left
// with both email addresses.
func TestMergeDuplicatesInBrowser(t *testing.T) {
	srv := StartServer(t, Options{})
	ctx := Browser(t)
	SetUpWorkspace(t, ctx, srv, Owner{Workspace: "Merge Co", Name: "Mo Merge", Email: "mo@merge.test", Password: "correct horse battery"})
	Post(t, ctx, "/contacts", map[string][]string{"first_name": {"Ada"}, "last_name": {"King"}, "email": {"ada@merge.test"}})
	Post(t, ctx, "/contacts", map[string][]string{"first_name": {"ADA"}, "last_name": {"king"}, "email": {"ada.king@elsewhere.test"}})
	Do(t, ctx,
		cd.Navigate(srv.BaseURL+"/contacts"),
		cd.WaitVisible(cd.CSS(`td a[href^="/contacts/"]`)),
		cd.Click(cd.CSS(`td a[href^="/contacts/"]`)),
		cd.WaitVisible(cd.CSS(`.record-dups a`)),
	)
	if dup := Text(t, ctx, `.record-dups`); !strings.Contains(dup, "same name") {
		t.Fatalf("duplicates panel: %q", dup)
	}
	Do(t, ctx,
		cd.Click(cd.CSS(`.record-dups a`)),
		cd.WaitVisible(cd.CSS(`table.merge`)),
	)
	// The first name differs in case: take the other contact's spelling.
	Do(t, ctx,
		cd.Click(cd.CSS(`input[name="take_first_name"][value="1"]`)),
		cd.Click(cd.CSS(`form[action$="/merge"] button[type=submit]`)),
		cd.WaitVisible(cd.CSS(`.flash-ok`)),
	)
	page := Text(t, ctx, `body`)
	if !strings.Contains(page, "ada@merge.test") || !strings.Contains(page, "ada.king@elsewhere.test") || !strings.Contains(page, "merged") {
		t.Fatalf("merged contact page lacks both emails or the timeline entry:\n%.800s", page)
	}
	Do(t, ctx, cd.Navigate(srv.BaseURL+"/contacts"), cd.WaitVisible(cd.CSS(`table`)))
	if n := Eval[int](t, ctx, `new Set([...document.querySelectorAll('a[href^="/contacts/"]')].map(a => a.getAttribute('href').split('?')[0]).filter(h => /^\/contacts\/\d+$/.test(h))).size`); n != 1 {
		t.Fatalf("%d contacts left after the merge, want 1", n)
	}
}

// TestMergeCompaniesInBrowser: the same for two companies sharing a
// domain — the survivor takes the other's industry and its person.
func TestMergeCompaniesInBrowser(t *testing.T) {
	srv := StartServer(t, Options{})
	ctx := Browser(t)
	SetUpWorkspace(t, ctx, srv, Owner{Workspace: "Merge Co", Name: "Mo Merge", Email: "mo@merge.test", Password: "correct horse battery"})
	Post(t, ctx, "/companies", map[string][]string{"name": {"Globex"}, "domain": {"globex.test"}, "industry": {"Energy"}})
	Post(t, ctx, "/companies", map[string][]string{"name": {"Globex Corporation"}, "domain": {"globex.test"}, "industry": {"Utilities"}})
	Do(t, ctx, cd.Navigate(srv.BaseURL+"/companies"), cd.WaitVisible(cd.CSS(`td a[href^="/companies/"]`)))
	ids := Eval[map[string]string](t, ctx, `Object.fromEntries([...document.querySelectorAll('td a[href^="/companies/"]')].map(a => [a.textContent.trim(), a.getAttribute("href")]))`)
	Post(t, ctx, "/contacts", map[string][]string{"first_name": {"Hank"}, "last_name": {"Scorpio"}, "company_id": {strings.TrimPrefix(ids["Globex Corporation"], "/companies/")}})
	Do(t, ctx,
		cd.Navigate(srv.BaseURL+ids["Globex"]),
		cd.WaitVisible(cd.CSS(`.record-dups a`)),
		cd.Click(cd.CSS(`.record-dups a`)),
		cd.WaitVisible(cd.CSS(`table.merge`)),
	)
	look(t, ctx, "company-merge")
	if !Fits(t, ctx) {
		t.Error("the merge screen overflows")
	}
	Do(t, ctx,
		cd.Click(cd.CSS(`input[name="take_industry"][value="1"]`)),
		cd.Click(cd.CSS(`form[action$="/merge"] button[type=submit]`)),
		cd.WaitVisible(cd.CSS(`.flash-ok`)),
	)
	page := Text(t, ctx, `body`)
	if !strings.Contains(page, "Utilities") || !strings.Contains(page, "Hank Scorpio") || strings.Contains(page, "Possible duplicates") {
		t.Fatalf("merged company page:\n%.1200s", page)
	}
}
