package importer_test

import (
	"strings"
	"testing"

	"github.com/tandemcrm/tandem/internal/consent"
	"github.com/tandemcrm/tandem/internal/crm"
	"github.com/tandemcrm/tandem/internal/importer"
	"github.com/tandemcrm/tandem/internal/secrets"
	"github.com/tandemcrm/tandem/internal/store"
	"github.com/tandemcrm/tandem/internal/store/testdb"
)

// TestImportRespectsSuppression: a row whose email or phone is suppressed
// (an erased or unsubscribed person) is not re-created, and the report says
// why; the other rows import.
func TestImportRespectsSuppression(t *testing.T) {
	key, err := secrets.LoadOrCreateKey(t.TempDir(), "")
	if err != nil {
		t.Fatal(err)
	}
	consent.SetKey(key)
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		p := member(t, db, 0, crm.RoleOwner, "o@sup.test")
		if err := db.Write(ctx, func(tx *store.Tx) error {
			if err := consent.Suppress(tx, p.WorkspaceID, consent.Email, "gone@example.com", "erased", crm.System); err != nil {
				return err
			}
			return consent.Suppress(tx, p.WorkspaceID, consent.Phone, "+44 20 7946 0958", "manual", crm.System)
		}); err != nil {
			t.Fatal(err)
		}
		imp := runImport(t, db, p, "contacts", "First Name,Last Name,Email,Phone\n"+
			"Ann,Keep,ann@example.com,\n"+
			"Gone,Person,GONE@example.com,\n"+
			"Phil,Phone,,+44 20 7946 0958\n", nil, false)
		if imp.Created != 1 || imp.Skipped != 2 {
			t.Fatalf("import: %s, want created=1 skipped=2", imp.Summary())
		}
		var issues []importer.Issue
		if err := db.Read(ctx, func(tx *store.Tx) (err error) { issues, err = importer.Issues(tx, p, imp.ID, 0, 50); return err }); err != nil {
			t.Fatal(err)
		}
		var why []string
		for _, is := range issues {
			if is.Action == importer.Skipped {
				why = append(why, is.Message)
			}
		}
		if len(why) != 2 || !strings.Contains(why[0], "suppressed (erased)") || !strings.Contains(why[1], "suppressed") {
			t.Fatalf("report: %q", why)
		}
	})
}
