package importer_test

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/tandemcrm/tandem/internal/crm"
	"github.com/tandemcrm/tandem/internal/importer"
	"github.com/tandemcrm/tandem/internal/seed"
	"github.com/tandemcrm/tandem/internal/store"
	"github.com/tandemcrm/tandem/internal/store/testdb"
)

// crashChild runs one import in a child process, to be killed mid-way.
func crashChild() int {
	ctx := context.Background()
	db, err := store.Open(ctx, store.Options{URL: os.Getenv("IMPORTER_CHILD_DB")})
	if err != nil {
		println(err.Error())
		return 3
	}
	if err := db.ClaimNode(ctx); err != nil {
		println(err.Error())
		return 3
	}
	ws, _ := crm.ParseID(os.Getenv("IMPORTER_CHILD_WS"))
	id, _ := crm.ParseID(os.Getenv("IMPORTER_CHILD_IMPORT"))
	// As the command line runs it: a batch decided while the one before commits.
	if _, err := importer.Execute(ctx, db, ws, id, importer.Options{TxRows: 5_000, Overlap: true}); err != nil {
		println(err.Error())
		return 4
	}
	return 0
}

func generated(t *testing.T, rows int) string {
	t.Helper()
	var buf bytes.Buffer
	if err := seed.ContactsCSV(&buf, seed.CSVOptions{Rows: rows, Seed: 7, Duplicates: 0.10}); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "contacts.csv")
	if err := os.WriteFile(path, buf.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

func create(t *testing.T, db *store.DB, p crm.Principal, path string, tmpl *importer.Template) importer.Import {
	t.Helper()
	var imp importer.Import
	err := db.Write(ctx, func(tx *store.Tx) (err error) {
		imp, err = importer.Create(tx, p, importer.NewImport{Kind: "contacts", FileName: filepath.Base(path), FilePath: path, Template: tmpl})
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return imp
}

func companiesOf(t *testing.T, db *store.DB, ws crm.ID) string {
	t.Helper()
	return strings.Join(texts(t, db, `SELECT name || '|' || domain FROM companies WHERE workspace_id = ? AND deleted_at IS NULL ORDER BY name, domain`, ws), "\n")
}

// TestCrashResume kills a process in the middle of a 200,000-row import
// (SIGKILL: no cleanup, a transaction cut short), resumes the import from
// its checkpoint, and compares the result with a clean import of the same
// file: the same contacts, companies and counts, no duplicates, no losses.
func TestCrashResume(t *testing.T) {
	if testing.Short() {
		t.Skip("200,000 rows")
	}
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		// 200,000 rows as the issue asks; PostgreSQL runs the same code path
		// on 50,000 to keep the suite's time (each size is imported twice).
		rows := 200_000
		if db.Dialect() == store.Postgres {
			rows = 50_000
		}
		path := generated(t, rows)
		a := member(t, db, 0, crm.RoleOwner, "a@example.com")
		imp := create(t, db, a, path, nil)
		child := exec.Command(os.Args[0], "-test.run=^$")
		child.Env = append(os.Environ(), "IMPORTER_CHILD_DB="+db.URL(), "IMPORTER_CHILD_WS="+a.WorkspaceID.String(),
			"IMPORTER_CHILD_IMPORT="+imp.ID.String())
		var out bytes.Buffer
		child.Stdout, child.Stderr = &out, &out
		if err := child.Start(); err != nil {
			t.Fatal(err)
		}
		// Wait for a few checkpoints, then kill it between or during batches.
		deadline := time.Now().Add(60 * time.Second)
		for count(t, db, `SELECT rows_done FROM imports WHERE workspace_id = ? AND id = ?`, a.WorkspaceID, imp.ID) < rows/7 {
			if time.Now().After(deadline) {
				t.Fatalf("the child made no progress: %s", out.String())
			}
			time.Sleep(5 * time.Millisecond)
		}
		time.Sleep(time.Duration(imp.ID%37) * time.Millisecond)
		if err := child.Process.Signal(syscall.SIGKILL); err != nil {
			t.Fatal(err)
		}
		_ = child.Wait()
		var mid importer.Import
		_ = db.Read(ctx, func(tx *store.Tx) (err error) { mid, err = importer.Get(tx, a, imp.ID); return err })
		if mid.Status != importer.Running || mid.RowsDone >= rows || mid.RowsDone%5_000 != 0 {
			t.Fatalf("after the kill: %s at %d rows (%s)", mid.Status, mid.RowsDone, out.String())
		}
		t.Logf("killed after %d committed rows", mid.RowsDone)
		// A running import with recent progress is not taken over...
		if _, err := importer.Execute(ctx, db, a.WorkspaceID, imp.ID, importer.Options{}); crm.ErrorCode(err) != crm.Conflict {
			t.Fatalf("took over a live-looking import: %v", err)
		}
		// ...one whose progress stopped is (StaleAfter shortened for the test).
		resumed, err := importer.Execute(ctx, db, a.WorkspaceID, imp.ID, importer.Options{TxRows: 5_000, StaleAfter: time.Millisecond})
		if err != nil || resumed.Status != importer.Done {
			t.Fatalf("resume: %v %s", err, resumed.Status)
		}

		b := member(t, db, 0, crm.RoleOwner, "b@example.com")
		clean := create(t, db, b, path, nil)
		clean, err = importer.Execute(ctx, db, b.WorkspaceID, clean.ID, importer.Options{TxRows: 50_000})
		if err != nil {
			t.Fatal(err)
		}
		if resumed.Summary() != clean.Summary() || resumed.RowsDone != rows {
			t.Fatalf("resumed %s (%d rows), clean %s", resumed.Summary(), resumed.RowsDone, clean.Summary())
		}
		t.Log(clean.Summary())
		ca, cb := contactsOf(t, db, a.WorkspaceID), contactsOf(t, db, b.WorkspaceID)
		if len(ca) != clean.Created || strings.Join(ca, "\n") != strings.Join(cb, "\n") {
			t.Fatalf("contacts differ: %d resumed, %d clean, %d created", len(ca), len(cb), clean.Created)
		}
		if companiesOf(t, db, a.WorkspaceID) != companiesOf(t, db, b.WorkspaceID) {
			t.Fatal("companies differ")
		}
		if n := count(t, db, `SELECT count(*) - count(DISTINCT email) FROM contacts WHERE workspace_id = ?`, a.WorkspaceID); n != 0 {
			t.Fatalf("%d duplicate emails", n)
		}
		checkTerms(t, db)
		if n := count(t, db, `SELECT count(*) FROM search_index WHERE workspace_id = ? AND object_type = 'contact'`, a.WorkspaceID); n != clean.Created {
			t.Fatalf("search documents: %d, want %d", n, clean.Created)
		}
		_ = strconv.Itoa
	})
}
