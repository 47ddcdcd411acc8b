package cli_test

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/tandemcrm/tandem/internal/cli"
)

// run executes a tandem command in-process with env and returns stdout,
// stderr and the exit status.
func run(t *testing.T, env map[string]string, stdin string, args ...string) (string, string, int) {
	t.Helper()
	var out, errb bytes.Buffer
	code := cli.Main(context.Background(), args, func(k string) string { return env[k] }, strings.NewReader(stdin), &out, &errb)
	return out.String(), errb.String(), code
}

func lastLine(s string) string {
	lines := strings.Split(strings.TrimSpace(s), "\n")
	return lines[len(lines)-1]
}

func TestAccountCommands(t *testing.T) {
	dir := t.TempDir()
	env := map[string]string{"TANDEM_DATA_DIR": dir, "TANDEM_LOG_LEVEL": "warn"}
	if _, errs, code := run(t, env, "", "migrate", "up"); code != 0 {
		t.Fatalf("migrate: %s", errs)
	}
	out, errs, code := run(t, env, "", "workspace", "create", "Acme", "Sales")
	if code != 0 {
		t.Fatalf("workspace create: %d %s", code, errs)
	}
	ws := lastLine(out)
	if !strings.Contains(out, `"Acme Sales"`) || strings.Trim(ws, "0123456789") != "" {
		t.Fatalf("workspace create printed %q", out)
	}

	pw := filepath.Join(dir, "pw")
	os.WriteFile(pw, []byte("a long enough phrase\n"), 0o600)
	out, errs, code = run(t, env, "", "user", "create", "--workspace", ws, "--email", "Ann@Example.com", "--role", "admin", "--password-file", pw)
	if code != 0 || strings.Trim(lastLine(out), "0123456789") != "" {
		t.Fatalf("user create: %d %q %s", code, out, errs)
	}
	// Weak password from stdin: refused with the reason on one line.
	_, errs, code = run(t, env, "password\n", "user", "create", "--workspace", ws, "--email", "bob@example.com")
	if code == 0 || !strings.HasPrefix(lastLine(errs), "Password") || !strings.Contains(lastLine(errs), "tandem user: password: Use at least") {
		t.Fatalf("weak password: %d %q", code, errs)
	}
	_, errs, code = run(t, env, "", "user", "create", "--workspace", "999", "--email", "c@example.com", "--password-file", pw)
	if code == 0 || !strings.Contains(errs, "No workspace with id 999") {
		t.Fatalf("unknown workspace: %d %q", code, errs)
	}

	out, errs, code = run(t, env, "", "apikey", "create", "--workspace", ws, "--user", "ann@example.com", "--name", "zapier")
	if code != 0 || !strings.HasPrefix(lastLine(out), "tdm_"+ws+"_") {
		t.Fatalf("apikey create: %d %q %s", code, out, errs)
	}
	out, errs, code = run(t, env, "", "user", "reset-password", "ANN@example.com")
	if code != 0 || !strings.HasPrefix(lastLine(out), "http://localhost:8080/reset?token=") || strings.Contains(out, "a long enough phrase") {
		t.Fatalf("reset-password: %d %q %s", code, out, errs)
	}
	if _, errs, code = run(t, env, "", "user", "reset-password", "nobody@example.com"); code == 0 || !strings.Contains(errs, "no account") {
		t.Fatalf("reset-password unknown: %d %s", code, errs)
	}
	_, errs, code = run(t, env, "", "apikey", "create", "--workspace", ws, "--user", "ann@example.com", "--name", "x", "--role", "owner")
	if code == 0 || !strings.Contains(errs, "role:") {
		t.Fatalf("apikey above own role: %d %q", code, errs)
	}
}
