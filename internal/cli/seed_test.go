package cli_test

import (
	"strings"
	"testing"
)

func TestSeedDemo(t *testing.T) {
	// A fresh data directory: seed migrates it first, like serve.
	env := map[string]string{"TANDEM_DATA_DIR": t.TempDir(), "TANDEM_LOG_LEVEL": "warn"}
	out, errs, code := run(t, env, "", "seed", "--demo", "--workspace-name", "Acme demo")
	if code != 0 {
		t.Fatalf("seed: %d %s", code, errs)
	}
	for _, want := range []string{`workspace "Acme demo"`, "300 companies, 3000 contacts, 1500 deals, 6000 activities", "sign in as demo@tandem.local with password demo-"} {
		if !strings.Contains(out, want) {
			t.Errorf("missing %q in %q", want, out)
		}
	}
	_, errs, code = run(t, env, "", "seed", "--demo", "--workspace-name", "Acme demo")
	if code != 1 || !strings.Contains(errs, `a workspace named "Acme demo" exists already`) || !strings.Contains(errs, "--force") {
		t.Fatalf("second seed: %d %q", code, errs)
	}
	if _, errs, code = run(t, env, "", "seed"); code != 1 || !strings.Contains(errs, "say --demo or --size") {
		t.Fatalf("no size: %d %q", code, errs)
	}
	if _, errs, code = run(t, env, "", "seed", "--size", "XL"); code != 1 || !strings.Contains(errs, "use demo, S, M or L") {
		t.Fatalf("bad size: %d %q", code, errs)
	}
	if out, _, code := run(t, env, "", "doctor"); code != 0 || !strings.Contains(out, "ok    setup: done (8 users, 1 workspaces)") {
		t.Fatalf("doctor after seed: %d\n%s", code, out)
	}
}
