package importer_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/tandemcrm/tandem/internal/crm"
	"github.com/tandemcrm/tandem/internal/importer"
	"github.com/tandemcrm/tandem/internal/store"
	"github.com/tandemcrm/tandem/internal/store/testdb"
)

// contactIndexes lists the indexes of contacts with their definitions.
func contactIndexes(t *testing.T, db *store.DB) string {
	t.Helper()
	q := `SELECT name || ' ' || sql FROM sqlite_master WHERE type = 'index' AND tbl_name = 'contacts' AND sql IS NOT NULL ORDER BY name`
	if db.Dialect() == store.Postgres {
		q = `SELECT indexname || ' ' || indexdef FROM pg_indexes WHERE tablename = 'contacts' ORDER BY indexname`
	}
	return strings.Join(texts(t, db, q), "\n")
}

// TestStagedMerge: new contacts wait in the staging table and move into
// contacts after the last row; a merge that rebuilds the indexes (taken
// here at any size) leaves the same indexes, the rows of other workspaces
// and an empty staging table. A duplicate in a later batch updates the
// staged row.
func TestStagedMerge(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		for _, rebuild := range []bool{false, true} {
			if rebuild {
				defer importer.SetRebuildMinRows(1)()
			}
			before := contactIndexes(t, db)
			other := member(t, db, 0, crm.RoleOwner, "o"+map[bool]string{false: "1", true: "2"}[rebuild]+"@example.com")
			runImport(t, db, other, "contacts", "Email,First Name\nkeep@example.com,Keep\n", nil, false)
			p := member(t, db, 0, crm.RoleOwner, "p"+map[bool]string{false: "1", true: "2"}[rebuild]+"@example.com")
			// TxRows is 3: Ada's second row is in the second batch.
			imp := runImport(t, db, p, "contacts", "Email,First Name,Job Title,Company Name\n"+
				"ada@example.com,Ada,,Engines\ngrace@example.com,Grace,Admiral,Navy\nalan@example.com,Alan,,Engines\n"+
				"ADA@example.com,,Countess,\n", nil, false)
			if imp.Status != importer.Done || imp.Summary() != "created=3 updated=1 skipped=0 errors=0" {
				t.Fatalf("rebuild=%v: %s %s %q", rebuild, imp.Status, imp.Summary(), imp.Error)
			}
			got := strings.Join(contactsOf(t, db, p.WorkspaceID), "\n")
			want := `Ada||[{"email":"ada@example.com"}]||Countess|Engines|lead|[]` + "\n" +
				`Alan||[{"email":"alan@example.com"}]|||Engines|lead|[]` + "\n" +
				`Grace||[{"email":"grace@example.com"}]||Admiral|Navy|lead|[]`
			if got != want {
				t.Fatalf("rebuild=%v: contacts:\n%s\nwant:\n%s", rebuild, got, want)
			}
			if n := count(t, db, `SELECT version FROM contacts WHERE workspace_id = ? AND email = 'ada@example.com'`, p.WorkspaceID); n != 2 {
				t.Fatalf("rebuild=%v: Ada's version %d, want 2 (updated once)", rebuild, n)
			}
			if n := count(t, db, `SELECT count(*) FROM contacts WHERE workspace_id = ?`, other.WorkspaceID); n != 1 {
				t.Fatalf("rebuild=%v: the other workspace has %d contacts", rebuild, n)
			}
			if n := count(t, db, `SELECT count(*) FROM import_stage_contacts WHERE workspace_id = ?`, p.WorkspaceID); n != 0 {
				t.Fatalf("rebuild=%v: %d rows left in the staging table", rebuild, n)
			}
			checkTerms(t, db)
			if n := count(t, db, `SELECT count(*) FROM search_index WHERE workspace_id = ? AND object_type = 'contact'`, p.WorkspaceID); n != 3 {
				t.Fatalf("rebuild=%v: %d search documents", rebuild, n)
			}
			if after := contactIndexes(t, db); after != before || !strings.Contains(after, "contacts_email") {
				t.Fatalf("rebuild=%v: indexes changed:\n%s\nbefore:\n%s", rebuild, after, before)
			}
			if db.Dialect() == store.SQLite {
				// The rebuild's settings of the writer are undone: sorts
				// in memory again (2), and on this thread alone (0).
				for q, want := range map[string]int{`PRAGMA temp_store`: 2, `PRAGMA threads`: 0} {
					var got int
					if err := db.SQLDB().QueryRowContext(ctx, q).Scan(&got); err != nil || got != want {
						t.Errorf("rebuild=%v: %s is %d (%v), want %d", rebuild, q, got, err, want)
					}
				}
			}
		}
	})
}

// TestChunkedMergeResumes (PostgreSQL): a big import's staged contacts
// move into contacts in ranges of ids, each range in its own transaction
// on one of two connections. Stopped after the first range (a shutdown),
// the import keeps the rest staged; run again, it moves them, and every
// contact is there once, with its search document — written two chunks at
// a time, and written again without harm after a crash.
func TestChunkedMergeResumes(t *testing.T) {
	db := testdb.Postgres(t)
	defer importer.SetRebuildMinRows(1)()
	defer importer.SetIndexChunkRows(3)() // documents two chunks at a time, 14 chunks
	p := member(t, db, 0, crm.RoleOwner, "chunks@example.com")
	var file strings.Builder
	file.WriteString("Email,First Name\n")
	for i := range 40 {
		fmt.Fprintf(&file, "c%02d@example.com,C%02d\n", i, i)
	}
	path := filepath.Join(t.TempDir(), "contacts.csv")
	if err := os.WriteFile(path, []byte(file.String()), 0o600); err != nil {
		t.Fatal(err)
	}
	imp := create(t, db, p, path, nil)
	stop, cancel := context.WithCancel(ctx)
	defer cancel()
	var ranges atomic.Int32
	defer importer.OnMergeRange(func() {
		if ranges.Add(1) == 1 {
			cancel()
		}
	})()
	if _, err := importer.Execute(stop, db, p.WorkspaceID, imp.ID, importer.Options{}); err == nil {
		t.Fatal("the stopped run reported no error")
	}
	merged := count(t, db, `SELECT count(*) FROM contacts WHERE workspace_id = ?`, p.WorkspaceID)
	staged := count(t, db, `SELECT count(*) FROM import_stage_contacts WHERE workspace_id = ?`, p.WorkspaceID)
	if merged == 0 || staged == 0 || merged+staged != 40 {
		t.Fatalf("after the stop: %d contacts moved in, %d staged", merged, staged)
	}
	done, err := importer.Execute(ctx, db, p.WorkspaceID, imp.ID, importer.Options{StaleAfter: time.Nanosecond})
	if err != nil || done.Status != importer.Done || done.Summary() != "created=40 updated=0 skipped=0 errors=0" {
		t.Fatalf("the resumed run: %s %s %v", done.Status, done.Summary(), err)
	}
	if n := count(t, db, `SELECT count(DISTINCT email) FROM contacts WHERE workspace_id = ?`, p.WorkspaceID); n != 40 {
		t.Fatalf("%d distinct contacts, want 40", n)
	}
	if n := count(t, db, `SELECT count(*) FROM contacts WHERE workspace_id = ?`, p.WorkspaceID); n != 40 {
		t.Fatalf("%d contacts, want 40", n)
	}
	if n := count(t, db, `SELECT count(*) FROM import_stage_contacts WHERE workspace_id = ?`, p.WorkspaceID); n != 0 {
		t.Fatalf("%d rows left staged", n)
	}
	checkTerms(t, db)
	if n := count(t, db, `SELECT count(*) FROM search_index WHERE workspace_id = ? AND object_type = 'contact'`, p.WorkspaceID); n != 40 {
		t.Fatalf("%d search documents, want 40", n)
	}
	if ranges.Load() < 8 {
		t.Fatalf("%d ranges committed in all, want the 8 of the merge", ranges.Load())
	}
	// A crash after two chunks of documents were written at once but
	// before their progress was saved writes them again: the run that
	// follows must take that in its stride.
	if err := db.Write(ctx, func(tx *store.Tx) error {
		_, err := tx.Exec(`UPDATE imports SET status = 'running', index_progress = '{}' WHERE workspace_id = ? AND id = ?`, p.WorkspaceID, imp.ID)
		return err
	}); err != nil {
		t.Fatal(err)
	}
	again, err := importer.Execute(ctx, db, p.WorkspaceID, imp.ID, importer.Options{StaleAfter: time.Nanosecond})
	if err != nil || again.Status != importer.Done {
		t.Fatalf("documents written again: %s %v", again.Status, err)
	}
	checkTerms(t, db)
	if n := count(t, db, `SELECT count(*) FROM search_index WHERE workspace_id = ? AND object_type = 'contact'`, p.WorkspaceID); n != 40 {
		t.Fatalf("%d search documents after writing them again, want 40", n)
	}
}
