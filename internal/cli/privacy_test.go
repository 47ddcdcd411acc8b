package cli_test

import (
	"archive/zip"
	"context"
	"path/filepath"
	"strings"
	"testing"

	"github.com/tandemcrm/tandem/internal/crm"
	"github.com/tandemcrm/tandem/internal/records"
	"github.com/tandemcrm/tandem/internal/store"
)

func TestPrivacyExportAndErase(t *testing.T) {
	dir := t.TempDir()
	env := map[string]string{"TANDEM_DATA_DIR": dir, "TANDEM_LOG_LEVEL": "warn"}
	run(t, env, "", "migrate", "up")
	out, _, _ := run(t, env, "", "workspace", "create", "Private")
	ws := lastLine(out)
	run(t, env, "a long enough phrase\n", "user", "create", "--workspace", ws, "--email", "a@example.com", "--role", "owner")
	db, err := store.Open(context.Background(), store.Options{URL: "sqlite:" + dir + "/tandem.db"})
	if err != nil {
		t.Fatal(err)
	}
	if err := db.ClaimNode(context.Background()); err != nil {
		t.Fatal(err)
	}
	wsID, _ := crm.ParseID(ws)
	err = db.Write(context.Background(), func(tx *store.Tx) error {
		var uid crm.ID
		if err := tx.QueryRow(`SELECT id FROM users WHERE email = 'a@example.com'`).Scan(&uid); err != nil {
			return err
		}
		p := crm.Principal{WorkspaceID: wsID, UserID: uid, Role: crm.RoleOwner}
		_, err := records.CreateContact(tx, p, records.NewContact{FirstName: "Erin", LastName: "Export", Email: "erin@example.com", Phone: "+1 555 0100"})
		return err
	})
	db.Close()
	if err != nil {
		t.Fatal(err)
	}

	zipPath := filepath.Join(t.TempDir(), "erin.zip")
	out, errs, code := run(t, env, "", "privacy", "export", "--workspace", ws, "--email", "ERIN@example.com", "--out", zipPath)
	if code != 0 || !strings.Contains(out, "1 contact(s)") {
		t.Fatalf("export: %d %q %q", code, out, errs)
	}
	zr, err := zip.OpenReader(zipPath)
	if err != nil {
		t.Fatal(err)
	}
	names := map[string]bool{}
	for _, f := range zr.File {
		names[f.Name] = true
	}
	zr.Close()
	if !names["README.txt"] || !names["contacts.json"] || !names["contacts.csv"] {
		t.Fatalf("bundle: %v", names)
	}

	// Without --yes: the preview, and nothing happens.
	out, _, code = run(t, env, "", "privacy", "erase", "--workspace", ws, "--email", "erin@example.com")
	if code != 1 || !strings.Contains(out, "would erase") || !strings.Contains(out, "contacts") {
		t.Fatalf("erase without --yes: %d %q", code, out)
	}
	out, errs, code = run(t, env, "", "privacy", "erase", "--workspace", ws, "--email", "erin@example.com", "--yes")
	if code != 0 || !strings.Contains(out, "erased") || !strings.Contains(out, "contacts") {
		t.Fatalf("erase: %d %q %q", code, out, errs)
	}
	out, _, code = run(t, env, "", "privacy", "erase", "--workspace", ws, "--email", "erin@example.com", "--yes")
	if code != 0 || !strings.Contains(out, "nothing to erase") {
		t.Fatalf("second erase: %d %q", code, out)
	}
	// The audit chain still verifies after pseudonymisation.
	if out, errs, code := run(t, env, "", "audit", "verify", "--workspace", ws); code != 0 {
		t.Fatalf("audit verify: %q %q", out, errs)
	}
}
