package importer_test

import (
	"os"
	"testing"
	"time"

	"github.com/tandemcrm/tandem/internal/crm"
	"github.com/tandemcrm/tandem/internal/importer"
	"github.com/tandemcrm/tandem/internal/store/testdb"
)

// TestImportSpeed imports IMPORT_SPEED_FILE (a path) into SQLite and logs
// the time; it is a tool for profiling, skipped without the variable.
func TestImportSpeed(t *testing.T) {
	path := os.Getenv("IMPORT_SPEED_FILE")
	if path == "" {
		t.Skip("set IMPORT_SPEED_FILE")
	}
	db := testdb.New(t)
	p := member(t, db, 0, crm.RoleOwner, "speed@example.com")
	imp := create(t, db, p, path, nil)
	start := time.Now()
	imp, err := importer.Execute(ctx, db, p.WorkspaceID, imp.ID, importer.Options{OnProgress: func(i importer.Import) {
		t.Logf("%s %d rows", time.Since(start).Round(time.Millisecond), i.RowsDone)
	}})
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("%s in %s", imp.Summary(), time.Since(start))
}
