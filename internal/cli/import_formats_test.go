package cli_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestImportWorkbookSheetAndDeals: `tandem import companies BOOK --sheet N`
// reads the chosen sheet of a workbook; `tandem import deals` reads HubSpot
// headers; the stdout contract is the summary line.
func TestImportWorkbookSheetAndDeals(t *testing.T) {
	dir := t.TempDir()
	env := map[string]string{"TANDEM_DATA_DIR": dir, "TANDEM_LOG_LEVEL": "warn"}
	if _, errs, code := run(t, env, "", "migrate", "up"); code != 0 {
		t.Fatalf("migrate: %s", errs)
	}
	out, _, _ := run(t, env, "", "workspace", "create", "Acme")
	ws := lastLine(out)
	pw := filepath.Join(dir, "pw")
	os.WriteFile(pw, []byte("a long enough phrase\n"), 0o600)
	if _, errs, code := run(t, env, "", "user", "create", "--workspace", ws, "--email", "owner@acme.test", "--role", "owner", "--password-file", pw); code != 0 {
		t.Fatal(errs)
	}
	book, _ := filepath.Abs("../importer/testdata/sheets/two_sheets.xlsx")
	out, errs, code := run(t, env, "", "import", "companies", book, "--workspace", ws, "--sheet", "Firmen & Co")
	if code != 0 || out != "created=1 updated=0 skipped=0 errors=0\n" || !strings.Contains(errs, `workbook, sheet "Firmen & Co"`) {
		t.Fatalf("workbook: %d %q %q", code, out, errs)
	}
	if _, errs, code := run(t, env, "", "import", "companies", book, "--workspace", ws, "--sheet", "9"); code == 0 || !strings.Contains(errs, "no sheet") {
		t.Fatalf("missing sheet: %d %q", code, errs)
	}
	deals := filepath.Join(dir, "deals.csv")
	os.WriteFile(deals, []byte("Deal Name,Amount,Deal Stage,Close Date,Deal Owner\nBig,\"1,000\",Closed Won,2026-01-31,owner@acme.test\nSmall,5,Proposal,,\n"), 0o600)
	out, errs, code = run(t, env, "", "import", "deals", deals, "--workspace", ws)
	if code != 0 || out != "created=2 updated=0 skipped=0 errors=0\n" {
		t.Fatalf("deals: %d %q %q", code, out, errs)
	}
}
