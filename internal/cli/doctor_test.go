package cli_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/tandemcrm/tandem/internal/store"
	"github.com/tandemcrm/tandem/internal/store/testdb"
)

func TestMain(m *testing.M) { testdb.Main(m) }

// lineOf returns the doctor line of a check, or "".
func lineOf(out, check string) string {
	for _, l := range strings.Split(out, "\n") {
		if strings.Contains(l, "  "+check+":") {
			return l
		}
	}
	return ""
}

func TestDoctorHealthy(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		url := db.URL()
		if db.Dialect() == store.SQLite {
			url = "sqlite:" + db.Path()
		}
		env := map[string]string{"TANDEM_DATA_DIR": t.TempDir(), "DATABASE_URL": url}
		out, errs, code := run(t, env, "", "doctor")
		if code != 0 {
			t.Fatalf("doctor on a migrated database: %d\n%s%s", code, out, errs)
		}
		for _, check := range []string{"configuration", "data directory", "database", "migrations"} {
			if l := lineOf(out, check); !strings.HasPrefix(l, "ok ") {
				t.Errorf("%s: %q", check, l)
			}
		}
		if l := lineOf(out, "setup"); !strings.HasPrefix(l, "warn") || !strings.Contains(l, "setup link") {
			t.Errorf("setup on an empty instance: %q", l)
		}
		if db.Dialect() == store.SQLite && !strings.HasPrefix(lineOf(out, "integrity"), "ok ") {
			t.Errorf("integrity: %q", lineOf(out, "integrity"))
		}
	})
}

func TestDoctorUnreachablePostgres(t *testing.T) {
	env := map[string]string{"TANDEM_DATA_DIR": t.TempDir(), "DATABASE_URL": "postgres://postgres:sekrit@127.0.0.1:1/x"}
	out, errs, code := run(t, env, "", "doctor")
	l := lineOf(out, "database")
	if code != 1 || !strings.HasPrefix(l, "FAIL") || !strings.Contains(l, "127.0.0.1:1") || !strings.Contains(l, "check that PostgreSQL is running") {
		t.Fatalf("doctor: %d %q\n%s", code, l, out)
	}
	if strings.Contains(out+errs, "sekrit") {
		t.Fatalf("password leaked:\n%s%s", out, errs)
	}
	if !strings.Contains(errs, "tandem doctor: 1 check(s) failed") {
		t.Fatalf("stderr: %q", errs)
	}
}

func TestDoctorPendingMigrations(t *testing.T) {
	dir := t.TempDir()
	// An empty file is a valid SQLite database with no tables: what a fresh
	// file looks like before migrate up.
	if err := os.WriteFile(filepath.Join(dir, "tandem.db"), nil, 0o600); err != nil {
		t.Fatal(err)
	}
	out, _, code := run(t, map[string]string{"TANDEM_DATA_DIR": dir}, "", "doctor")
	l := lineOf(out, "migrations")
	if code != 1 || !strings.HasPrefix(l, "FAIL") || !strings.Contains(l, "pending migrations") || !strings.Contains(l, "run tandem migrate up") {
		t.Fatalf("doctor: %d %q\n%s", code, l, out)
	}
	// Once migrated, the same data directory passes.
	if _, errs, code := run(t, map[string]string{"TANDEM_DATA_DIR": dir}, "", "migrate", "up"); code != 0 {
		t.Fatal(errs)
	}
	if out, _, code := run(t, map[string]string{"TANDEM_DATA_DIR": dir}, "", "doctor"); code != 0 {
		t.Fatalf("after migrate: %d\n%s", code, out)
	}
}

func TestDoctorNoDatabaseYet(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "data")
	out, _, code := run(t, map[string]string{"TANDEM_DATA_DIR": dir}, "", "doctor")
	if code != 0 || !strings.Contains(lineOf(out, "database"), "no database yet") || !strings.HasPrefix(lineOf(out, "data directory"), "warn") {
		t.Fatalf("doctor: %d\n%s", code, out)
	}
	if _, err := os.Stat(filepath.Join(dir, "tandem.db")); !os.IsNotExist(err) {
		t.Fatalf("doctor created a database file: %v", err)
	}
}

func TestDoctorUnwritableDataDir(t *testing.T) {
	// Root ignores permission bits, so a directory below a regular file is
	// the portable way to make a data directory that cannot exist.
	base := t.TempDir()
	file := filepath.Join(base, "afile")
	os.WriteFile(file, []byte("x"), 0o600)
	out, _, code := run(t, map[string]string{"TANDEM_DATA_DIR": filepath.Join(file, "sub")}, "", "doctor")
	l := lineOf(out, "data directory")
	if code != 1 || !strings.HasPrefix(l, "FAIL") || !strings.Contains(l, filepath.Join(file, "sub")) || !strings.Contains(l, "TANDEM_DATA_DIR") {
		t.Fatalf("dir under a file: %d %q\n%s", code, l, out)
	}
	// The data directory itself is a file.
	out, _, _ = run(t, map[string]string{"TANDEM_DATA_DIR": file}, "", "doctor")
	if l := lineOf(out, "data directory"); !strings.Contains(l, "is a file, not a directory") {
		t.Fatalf("file as dir: %q", l)
	}
	if os.Geteuid() != 0 {
		ro := filepath.Join(base, "ro")
		os.Mkdir(ro, 0o500)
		out, _, _ = run(t, map[string]string{"TANDEM_DATA_DIR": ro}, "", "doctor")
		if l := lineOf(out, "data directory"); !strings.HasPrefix(l, "FAIL") || !strings.Contains(l, "not writable") {
			t.Fatalf("read-only dir: %q", l)
		}
	}
}

func TestDoctorBadConfig(t *testing.T) {
	env := map[string]string{"TANDEM_DATA_DIR": t.TempDir(), "TANDEM_LOG_LEVEL": "loud", "TANDEM_ADDR": "nonsense"}
	out, errs, code := run(t, env, "", "doctor")
	if code != 1 {
		t.Fatalf("doctor: %d\n%s%s", code, out, errs)
	}
	var fails []string
	for _, l := range strings.Split(out, "\n") {
		if strings.HasPrefix(l, "FAIL  configuration:") {
			fails = append(fails, l)
		}
	}
	if len(fails) != 2 || !strings.Contains(out, `TANDEM_LOG_LEVEL="loud": use debug, info, warn or error`) ||
		!strings.Contains(out, `TANDEM_ADDR="nonsense" is not HOST:PORT`) {
		t.Fatalf("config lines: %q\n%s", fails, out)
	}
	// The other checks still ran.
	if !strings.HasPrefix(lineOf(out, "data directory"), "ok") {
		t.Fatalf("data dir check missing:\n%s", out)
	}
}

func TestConfigRedacts(t *testing.T) {
	env := map[string]string{
		"TANDEM_DATA_DIR":   t.TempDir(),
		"TANDEM_SECRET_KEY": "topsecretkey123",
		"DATABASE_URL":      "postgres://tandem:hunter2pw@db.internal:5432/crm",
		"TANDEM_SMTP_URL":   "smtp://mailer:smtppass99@mail.internal:587",
	}
	out, errs, code := run(t, env, "", "config")
	if code != 0 {
		t.Fatalf("config: %d %s", code, errs)
	}
	for _, secret := range []string{"topsecretkey123", "hunter2pw", "smtppass99"} {
		if strings.Contains(out+errs, secret) {
			t.Errorf("%s printed:\n%s", secret, out)
		}
	}
	for _, want := range []string{"DATABASE_URL=postgres://tandem:xxxxx@db.internal:5432/crm", "TANDEM_SECRET_KEY=[redacted]", "# database: PostgreSQL at"} {
		if !strings.Contains(out, want) {
			t.Errorf("missing %q in:\n%s", want, out)
		}
	}
	_, errs, code = run(t, map[string]string{"TANDEM_LOG_LEVEL": "loud"}, "", "config")
	if code != 1 || !strings.Contains(errs, "TANDEM_LOG_LEVEL") {
		t.Fatalf("bad config: %d %q", code, errs)
	}
}
