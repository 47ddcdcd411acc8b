package cli_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestImportExportCommands checks the documented contract: progress on
// stderr, the summary line alone on stdout; --dry-run changes nothing;
// export writes CSV (filtered) to stdout or --out, and vCard.
func TestImportExportCommands(t *testing.T) {
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
	file := filepath.Join(dir, "people.csv")
	os.WriteFile(file, []byte("First Name,Last Name,E-mail Address,Lifecycle Stage\nAda,Lovelace,ada@acme.test,customer\n"+
		"Grace,Hopper,grace@acme.test,lead\nBad,Row,nope,lead\nAda,Byron,ADA@acme.test,\n"), 0o600)

	out, errs, code := run(t, env, "", "import", "contacts", file, "--workspace", ws, "--dedupe", "email", "--dry-run")
	if code != 0 || out != "created=2 updated=1 skipped=0 errors=1\n" || !strings.Contains(errs, "line 4: error E-mail Address \"nope\"") {
		t.Fatalf("dry run: %d %q %q", code, out, errs)
	}
	out, _, _ = run(t, env, "", "export", "contacts", "--workspace", ws)
	if strings.Count(out, "\n") != 1 {
		t.Fatalf("a dry run imported: %q", out)
	}
	report := filepath.Join(dir, "report.csv")
	out, errs, code = run(t, env, "", "import", "contacts", file, "--workspace", ws, "--dedupe", "email", "--report", report)
	errs0 := errs
	if code != 0 || out != "created=2 updated=1 skipped=0 errors=1\n" || !strings.Contains(errs, "4 rows (100%)") {
		t.Fatalf("import: %d %q %q", code, out, errs)
	}
	rep, _ := os.ReadFile(report)
	if !strings.Contains(string(rep), "line,action,column,value,message\n2,created,,,\n") || !strings.Contains(string(rep), "4,error,E-mail Address,nope,not a valid email address") {
		t.Fatalf("report:\n%s", rep)
	}
	out, errs, code = run(t, env, "", "export", "contacts", "--workspace", ws, "--filter", `lifecycle = "customer"`)
	if code != 0 || !strings.HasPrefix(out, "First Name,Last Name,Email,") || !strings.Contains(out, "\nAda,Byron,ada@acme.test,") ||
		strings.Contains(out, "Grace") || !strings.Contains(errs, "exported 1 contacts") {
		t.Fatalf("export: %d %q %q", code, out, errs)
	}
	vcf := filepath.Join(dir, "people.vcf")
	if _, errs, code := run(t, env, "", "export", "contacts", "--workspace", ws, "--format", "vcf", "--out", vcf); code != 0 {
		t.Fatal(errs)
	}
	if b, _ := os.ReadFile(vcf); strings.Count(string(b), "BEGIN:VCARD") != 2 {
		t.Fatalf("vcard:\n%s", b)
	}
	if _, errs, code := run(t, env, "", "export", "contacts", "--workspace", ws, "--filter", "nope = 1"); code != 1 || !strings.Contains(errs, "filter") {
		t.Fatalf("bad filter: %d %q", code, errs)
	}
	cos := filepath.Join(dir, "companies.csv")
	os.WriteFile(cos, []byte("Company Name,Website,Employees\nAcme Tools,https://acme-tools.test/,40\nBeta Labs,beta.test,\n"), 0o600)
	if out, errs, code := run(t, env, "", "import", "companies", cos, "--workspace", ws); code != 0 || out != "created=2 updated=0 skipped=0 errors=0\n" {
		t.Fatalf("company import: %d %q %q", code, out, errs)
	}
	out, errs, code = run(t, env, "", "export", "companies", "--workspace", ws, "--filter", `size >= 10`, "--columns", "Name,Employees")
	if code != 0 || out != "Name,Employees\nAcme Tools,40\n" || !strings.Contains(errs, "exported 1 companies") {
		t.Fatalf("company export: %d %q %q", code, out, errs)
	}
	if _, errs, code := run(t, env, "", "export", "companies", "--workspace", ws, "--format", "vcf"); code != 1 || !strings.Contains(errs, "use csv or xlsx") {
		t.Fatalf("companies as vCard: %d %q", code, errs)
	}
	deals := filepath.Join(dir, "deals.csv")
	os.WriteFile(deals, []byte("Deal Name,Amount,Currency,Company Name\nTools order,1250.50,EUR,Acme Tools\n"), 0o600)
	if out, errs, code := run(t, env, "", "import", "deals", deals, "--workspace", ws); code != 0 || out != "created=1 updated=0 skipped=0 errors=0\n" {
		t.Fatalf("deal import: %d %q %q", code, out, errs)
	}
	out, errs, code = run(t, env, "", "export", "deals", "--workspace", ws, "--columns", "Deal Name,Amount,Currency,Company Name,Status")
	if code != 0 || out != "Deal Name,Amount,Currency,Company Name,Status\nTools order,1250.50,EUR,Acme Tools,open\n" || !strings.Contains(errs, "exported 1 deals") {
		t.Fatalf("deal export: %d %q %q", code, out, errs)
	}
	// status and undo, by the id the import printed.
	id := strings.Fields(strings.TrimPrefix(errs0, "import "))[0]
	id = strings.TrimSuffix(id, ":")
	out, _, code = run(t, env, "", "import", "status", id, "--workspace", ws)
	if code != 0 || !strings.Contains(out, "contacts done line=6 created=2 updated=1 skipped=0 errors=1") {
		t.Fatalf("status: %d %q", code, out)
	}
	out, errs, code = run(t, env, "", "import", "undo", id, "--workspace", ws)
	if code != 0 || out != "removed=2 restored=0 left_alone=0 consents=0\n" {
		t.Fatalf("undo: %d %q %q", code, out, errs)
	}
	if _, errs, code = run(t, env, "", "import", "undo", id, "--workspace", ws); code != 1 || !strings.Contains(errs, "undone already") {
		t.Fatalf("second undo: %d %q", code, errs)
	}
	out, _, _ = run(t, env, "", "import", "contacts", file, "--workspace", ws, "--print-map")
	if !strings.Contains(out, `"header": "E-mail Address"`) || !strings.Contains(out, `"field": "email"`) {
		t.Fatalf("print-map: %s", out)
	}
}
