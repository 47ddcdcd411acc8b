package cli

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"github.com/tandemcrm/tandem/internal/config"
)

func TestRestoreRefusedWhileServing(t *testing.T) {
	dir := t.TempDir()
	env := map[string]string{"TANDEM_DATA_DIR": dir, "TANDEM_LOG_LEVEL": "warn"}
	run := func(args ...string) (string, int) {
		var out, errb bytes.Buffer
		code := Main(context.Background(), args, func(k string) string { return env[k] }, strings.NewReader(""), &out, &errb)
		return errb.String(), code
	}
	if errs, code := run("migrate", "up"); code != 0 {
		t.Fatal(errs)
	}
	if errs, code := run("backup", dir+"/b.db"); code != 0 {
		t.Fatal(errs)
	}
	c := config.Defaults()
	c.DataDir = dir
	// Two servers on one SQLite file is supported: shared locks coexist.
	first, err := lockShared(c)
	if err != nil {
		t.Fatal(err)
	}
	second, err := lockShared(c)
	if err != nil {
		t.Fatalf("second shared lock: %v", err)
	}
	second.Unlock()
	errs, code := run("restore", dir+"/b.db")
	if code != 1 || !strings.Contains(errs, "stop tandem serve before restoring (the data directory is in use)") {
		t.Fatalf("restore while locked: %d %q", code, errs)
	}
	first.Unlock()
	// While a restore holds the lock, serve (here: backup) is turned away.
	ex, err := lockExclusive(c)
	if err != nil {
		t.Fatal(err)
	}
	if errs, code := run("backup", dir+"/c.db"); code != 1 || !strings.Contains(errs, "restore is replacing") {
		t.Fatalf("backup during restore: %d %q", code, errs)
	}
	ex.Unlock()
	if errs, code := run("restore", dir+"/b.db"); code != 0 {
		t.Fatalf("restore after unlock: %s", errs)
	}
}

func TestFlagsFirst(t *testing.T) {
	got := strings.Join(flagsFirst([]string{"out.db", "--force", "--data-dir", "d", "-x=1"}, "force"), " ")
	if got != "--force --data-dir d -x=1 -- out.db" {
		t.Fatalf("flagsFirst: %q", got)
	}
}
