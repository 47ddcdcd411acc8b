package e2e

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	cd "github.com/chromedp/chromedp"
)

// TestImportInBrowser uploads a CSV, keeps the automatic mapping, runs the
// import and watches its progress page turn to done (server-sent events
// reload it), then finds the contacts and the list's Export link.
func TestImportInBrowser(t *testing.T) {
	srv := StartServer(t, Options{})
	ctx := Browser(t)
	SetUpWorkspace(t, ctx, srv, Owner{Workspace: "Import Co", Name: "Ida Import", Email: "ida@import.test", Password: "correct horse battery"})
	var rows strings.Builder
	rows.WriteString("First Name,Last Name,E-mail Address,Company Name,Lifecycle Stage\n")
	for _, r := range []string{"Ada,Lovelace,ada@engines.test,Analytical Engines,customer", "Grace,Hopper,grace@navy.test,US Navy,lead",
		"Bad,Email,not-an-email,,lead", "Ada,Lovelace,ADA@engines.test,Analytical Engines,Closed Won"} {
		rows.WriteString(r + "\n")
	}
	file := filepath.Join(t.TempDir(), "people.csv")
	if err := os.WriteFile(file, []byte(rows.String()), 0o600); err != nil {
		t.Fatal(err)
	}
	Do(t, ctx, cd.Navigate(srv.BaseURL+"/import"), cd.WaitVisible(cd.CSS(`input[type=file]`)))
	look(t, ctx, "import-upload")
	Do(t, ctx, cd.SetUploadFiles(cd.CSS(`input[type=file]`), []string{file}),
		cd.Click(cd.CSS(`.import-upload button[type=submit]`)), cd.WaitVisible(cd.CSS(`select[name="col.0"]`)))
	if got := Eval[string](t, ctx, `document.querySelector('select[name="col.2"]').value`); got != "email" {
		t.Fatalf("E-mail Address mapped to %q", got)
	}
	look(t, ctx, "import-map")
	// Companies are left out this time, and the mapping is kept as a template.
	Do(t, ctx, cd.SetValue(cd.CSS(`select[name="col.3"]`), ""), cd.SendKeys(cd.CSS(`input[name=save_as]`), "Old CRM"))
	Do(t, ctx, cd.Click(cd.CSS(`.import-options .btn-primary`)), cd.WaitVisible(cd.CSS(`.import-status`)))
	Do(t, ctx, cd.WaitVisible(cd.CSS(`.import-status form[action$="/undo"]`)))
	if s := Text(t, ctx, `[data-import-summary]`); s != "created=2 updated=1 skipped=0 errors=1" {
		t.Fatalf("summary %q", s)
	}
	if !strings.Contains(Text(t, ctx, `table.import-report`), "not a valid email address") {
		t.Fatal("the report lacks the bad row")
	}
	look(t, ctx, "import-done")
	if !Fits(t, ctx) {
		t.Error("the import page overflows")
	}
	Do(t, ctx, cd.Navigate(srv.BaseURL+"/contacts"), cd.WaitVisible(cd.CSS(`a[href^="/contacts/export?"]`)))
	if n := Eval[int](t, ctx, `document.querySelectorAll("tr[id^=contact-]").length`); n != 2 {
		t.Fatalf("%d contacts listed", n)
	}
	look(t, ctx, "contacts-export-button")

	// The next file, its columns in another order: choosing the template
	// (no button needed) maps them by header, Company Name left out again.
	next := filepath.Join(t.TempDir(), "more.csv")
	if err := os.WriteFile(next, []byte("Company Name,E-mail Address,First Name,Phone\nUS Navy,kay@navy.test,Kay,\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	Do(t, ctx, cd.Navigate(srv.BaseURL+"/import"), cd.WaitVisible(cd.CSS(`input[type=file]`)))
	Do(t, ctx, cd.SetUploadFiles(cd.CSS(`input[type=file]`), []string{next}),
		cd.Click(cd.CSS(`.import-upload button[type=submit]`)), cd.WaitVisible(cd.CSS(`select[name="template"]`)))
	if got := Eval[string](t, ctx, `document.querySelector('select[name="col.0"]').value`); got != "company" {
		t.Fatalf("Company Name mapped to %q before the template", got)
	}
	// Choosing is one step: the change submits the form.
	Do(t, ctx, cd.Evaluate[cd.Void](`(() => {
		const s = document.querySelector('select[name="template"]');
		s.value = [...s.options].find(o => o.textContent.includes("Old CRM")).value;
		s.dispatchEvent(new Event("change", {bubbles: true}));
	})()`))
	Do(t, ctx, cd.WaitVisible(cd.CSS(`.import-template .muted`)))
	got := Eval[[]string](t, ctx, `[0, 1, 2, 3].map(i => document.querySelector('select[name="col.' + i + '"]').value)`)
	if strings.Join(got, ",") != ",email,first_name," {
		t.Fatalf("with the template the columns go to %q, want Company Name and Phone left out", got)
	}
	if v := Eval[string](t, ctx, `document.querySelector('input[name=save_as]').value`); v != "Old CRM" {
		t.Fatalf("save-as name %q", v)
	}
	if !strings.Contains(Text(t, ctx, `.import-template`), "Not in this file, so left out: Last Name, Lifecycle Stage.") {
		t.Errorf("note: %q", Text(t, ctx, `.import-template`))
	}
	look(t, ctx, "import-map-template")
	if !Fits(t, ctx) {
		t.Error("the mapping page overflows")
	}
}
