package importer_test

import (
	"strings"
	"testing"

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
	var out []string
	err := db.Read(ctx, func(tx *store.Tx) error {
		rows, err := tx.Unscoped().Query(q)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var s string
			if err := rows.Scan(&s); err != nil {
				return err
			}
			out = append(out, s)
		}
		return rows.Err()
	})
	if err != nil {
		t.Fatal(err)
	}
	return strings.Join(out, "\n")
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
			if n := count(t, db, `SELECT count(*) FROM search_index WHERE workspace_id = ? AND object_type = 'contact'`, p.WorkspaceID); n != 3 {
				t.Fatalf("rebuild=%v: %d search documents", rebuild, n)
			}
			if after := contactIndexes(t, db); after != before || !strings.Contains(after, "contacts_email") {
				t.Fatalf("rebuild=%v: indexes changed:\n%s\nbefore:\n%s", rebuild, after, before)
			}
		}
	})
}
