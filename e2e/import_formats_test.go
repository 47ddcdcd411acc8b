package e2e

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	cd "github.com/chromedp/chromedp"
)

// TestImportVCardInBrowser: a vCard file goes through the same upload,
// mapping and report pages as a CSV; the mapping page says what it is.
func TestImportVCardInBrowser(t *testing.T) {
	srv := StartServer(t, Options{})
	ctx := Browser(t)
	SetUpWorkspace(t, ctx, srv, Owner{Workspace: "Cards Co", Name: "Carl Card", Email: "carl@cards.test", Password: "correct horse battery"})
	file := filepath.Join(t.TempDir(), "people.vcf")
	body := "BEGIN:VCARD\r\nVERSION:3.0\r\nN:Lovelace;Ada;;;\r\nFN:Ada Lovelace\r\nEMAIL;TYPE=pref:ada@engines.test\r\nORG:Analytical Engines\r\nEND:VCARD\r\n" +
		"BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Grace Hopper\r\nEMAIL:grace@navy.test\r\n"
	if err := os.WriteFile(file, []byte(body), 0o600); err != nil {
		t.Fatal(err)
	}
	Do(t, ctx, cd.Navigate(srv.BaseURL+"/import"), cd.WaitVisible(cd.CSS(`input[type=file]`)))
	Do(t, ctx, cd.SetUploadFiles(cd.CSS(`input[type=file]`), []string{file}),
		cd.Click(cd.CSS(`.import-upload button[type=submit]`)), cd.WaitVisible(cd.CSS(`select[name="col.0"]`)))
	// Read in the page (not by node: under load CI once saw the node
	// replaced between finding it and reading it).
	if got := Eval[string](t, ctx, `document.querySelector(".import-step .panel-head").textContent`); !strings.Contains(got, "vCard") {
		t.Fatalf("mapping page head %q", got)
	}
	if got := Eval[string](t, ctx, `document.querySelector('select[name="col.3"]').value`); got != "email" {
		t.Fatalf("Email mapped to %q", got)
	}
	Do(t, ctx, cd.Click(cd.CSS(`.import-options .btn-primary`)), cd.WaitVisible(cd.CSS(`.import-status`)))
	Do(t, ctx, cd.WaitVisible(cd.CSS(`.import-status form[action$="/undo"]`)))
	if s := Text(t, ctx, `[data-import-summary]`); s != "created=1 updated=0 skipped=0 errors=1" {
		t.Fatalf("summary %q", s)
	}
	if !strings.Contains(Text(t, ctx, `table.import-report`), "has no END:VCARD") {
		t.Fatal("the report lacks the cut-off card")
	}
}
