package importer_test

import (
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/tandemcrm/tandem/internal/crm"
	"github.com/tandemcrm/tandem/internal/importer"
	"github.com/tandemcrm/tandem/internal/records"
	"github.com/tandemcrm/tandem/internal/store"
	"github.com/tandemcrm/tandem/internal/store/testdb"
)

// TestPurge: once the undo window has ended, before-images, the report and
// uploaded files go; a file the CLI read from elsewhere stays; imports
// still in their window are untouched.
func TestPurge(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		p := member(t, db, 0, crm.RoleAdmin, "purge@example.com")
		existing(t, db, p, records.NewContact{FirstName: "Old", Email: "old@example.com"})
		dir := t.TempDir()
		body := "Email,Title\nold@example.com,CTO\nbad,\n"
		uploaded := filepath.Join(dir, p.WorkspaceID.String()+"-abcdefghijklmnopqrstuv.csv")
		own := filepath.Join(dir, "people.csv")
		for _, f := range []string{uploaded, own} {
			if err := os.WriteFile(f, []byte(body), 0o600); err != nil {
				t.Fatal(err)
			}
		}
		a, _ := importer.Execute(ctx, db, p.WorkspaceID, create(t, db, p, uploaded, nil).ID, importer.Options{})
		b, _ := importer.Execute(ctx, db, p.WorkspaceID, create(t, db, p, own, nil).ID, importer.Options{})
		c, _ := importer.Execute(ctx, db, p.WorkspaceID, create(t, db, p, own, nil).ID, importer.Options{})
		leftovers := func(id crm.ID) int {
			return count(t, db, `SELECT (SELECT count(*) FROM import_before WHERE workspace_id = ? AND import_id = ?) +
				(SELECT count(*) FROM import_issues WHERE workspace_id = ? AND import_id = ?)`, p.WorkspaceID, id, p.WorkspaceID, id)
		}
		if leftovers(a.ID) != 2 || leftovers(c.ID) == 0 {
			t.Fatalf("before purge: %d, %d", leftovers(a.ID), leftovers(c.ID))
		}
		if err := db.Write(ctx, func(tx *store.Tx) error {
			_, err := tx.Exec(`UPDATE imports SET undo_until = ? WHERE workspace_id = ? AND id IN (?, ?)`,
				store.Micros(tx.Now.Add(-time.Hour)), p.WorkspaceID, a.ID, b.ID)
			return err
		}); err != nil {
			t.Fatal(err)
		}
		n, err := importer.Purge(ctx, db, time.Now())
		if err != nil || n != 2 {
			t.Fatalf("purge: %d %v", n, err)
		}
		if leftovers(a.ID) != 0 || leftovers(b.ID) != 0 || leftovers(c.ID) == 0 {
			t.Fatalf("after purge: %d %d %d", leftovers(a.ID), leftovers(b.ID), leftovers(c.ID))
		}
		if _, err := os.Stat(uploaded); !os.IsNotExist(err) {
			t.Fatal("the uploaded file is still there")
		}
		if _, err := os.Stat(own); err != nil {
			t.Fatal("purge deleted a file it did not upload")
		}
		if n, _ := importer.Purge(ctx, db, time.Now()); n != 0 {
			t.Fatalf("second purge cleaned %d", n)
		}
	})
}
