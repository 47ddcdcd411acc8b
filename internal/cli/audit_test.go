package cli_test

import (
	"context"
	"strings"
	"testing"

	"github.com/tandemcrm/tandem/internal/store"
)

func TestAuditVerify(t *testing.T) {
	dir := t.TempDir()
	env := map[string]string{"TANDEM_DATA_DIR": dir, "TANDEM_LOG_LEVEL": "warn"}
	run(t, env, "", "migrate", "up")
	out, _, _ := run(t, env, "", "workspace", "create", "Audited")
	ws := lastLine(out)
	run(t, env, "a long enough phrase\n", "user", "create", "--workspace", ws, "--email", "a@example.com", "--role", "owner")
	for i := 0; i < 3; i++ {
		if _, errs, code := run(t, env, "", "apikey", "create", "--workspace", ws, "--user", "a@example.com", "--name", "k"); code != 0 {
			t.Fatal(errs)
		}
	}
	out, errs, code := run(t, env, "", "audit", "verify")
	if code != 0 || !strings.Contains(out, "workspace "+ws+": 3 entries, chain intact") {
		t.Fatalf("verify: %d %q %q", code, out, errs)
	}
	// Someone edits the log behind Tandem's back.
	db, err := store.Open(context.Background(), store.Options{URL: "sqlite:" + dir + "/tandem.db"})
	if err != nil {
		t.Fatal(err)
	}
	err = db.Write(context.Background(), func(tx *store.Tx) error {
		_, err := tx.Unscoped().Exec(`UPDATE audit_log SET action = 'apikey.revoked' WHERE id = (SELECT min(id) FROM audit_log WHERE workspace_id = ` + ws + `)`)
		return err
	})
	db.Close()
	if err != nil {
		t.Fatal(err)
	}
	out, errs, code = run(t, env, "", "audit", "verify", "--workspace", ws)
	if code != 1 || !strings.Contains(out, "FAIL") || !strings.Contains(errs, "broken") {
		t.Fatalf("tampered verify: %d %q %q", code, out, errs)
	}
}
