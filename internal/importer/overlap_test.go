package importer_test

import (
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/tandemcrm/tandem/internal/consent"
	"github.com/tandemcrm/tandem/internal/crm"
	"github.com/tandemcrm/tandem/internal/importer"
	"github.com/tandemcrm/tandem/internal/store"
	"github.com/tandemcrm/tandem/internal/store/testdb"
)

// overlapFile has two rows per batch (TxRows 2). The second batch names
// the contact and the company the first one creates and a new company, the
// third updates a contact of the first: decided while the batch before commits, they must
// come out as a sequential import makes them.
const overlapFile = "Email,First Name,Job Title,Company Name,Email Opt-In\n" +
	"ada@example.com,Ada,,Engines,\n" +
	"grace@example.com,Grace,Admiral,Navy,\n" +
	"ADA@example.com,,Countess,Labs,no\n" +
	"alan@example.com,Alan,,Engines,\n" +
	"grace@example.com,,,,yes\n"

// holdFirstCommit makes the first batch's commit wait until the rows of
// line `until` (in the second batch) are decided, and returns the OnRow
// option that sees them, with at calling at that line. A run that decided
// no row while a batch committed fails the test instead of waiting.
func holdFirstCommit(t *testing.T, until int, at func()) func(int, importer.Outcome) {
	t.Helper()
	decided := make(chan struct{})
	var once, first sync.Once
	t.Cleanup(importer.OnCommit(func() {
		first.Do(func() {
			select {
			case <-decided:
			case <-time.After(20 * time.Second):
				t.Error("no row of the next batch was decided while the first batch committed")
			}
		})
	}))
	return func(line int, _ importer.Outcome) {
		if line == until {
			once.Do(func() {
				if at != nil {
					at()
				}
				close(decided)
			})
		}
	}
}

// TestRowsDecidedWhileCommitting: the rows of a batch are decided while the
// batch before it commits (execute.go); duplicates, companies and consents
// across the two come out as if one batch followed the other.
func TestRowsDecidedWhileCommitting(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		p := member(t, db, 0, crm.RoleAdmin, "admin@example.com")
		imp := create(t, db, p, writeFile(t, overlapFile), nil)
		imp, err := importer.Execute(ctx, db, p.WorkspaceID, imp.ID, importer.Options{TxRows: 2, Overlap: true, OnRow: holdFirstCommit(t, 5, nil)})
		if err != nil || imp.Status != importer.Done || imp.Summary() != "created=3 updated=2 skipped=0 errors=0" {
			t.Fatalf("%v %s %s %q", err, imp.Status, imp.Summary(), imp.Error)
		}
		got := strings.Join(contactsOf(t, db, p.WorkspaceID), "\n")
		want := `Ada||[{"email":"ada@example.com"}]||Countess|Labs|lead|[]` + "\n" +
			`Alan||[{"email":"alan@example.com"}]|||Engines|lead|[]` + "\n" +
			`Grace||[{"email":"grace@example.com"}]||Admiral|Navy|lead|[]`
		if got != want {
			t.Fatalf("contacts:\n%s\nwant:\n%s", got, want)
		}
		if got := companiesOf(t, db, p.WorkspaceID); got != "Engines|\nLabs|\nNavy|" {
			t.Fatalf("companies:\n%s", got)
		}
		var lines []string
		err = db.Read(ctx, func(tx *store.Tx) error {
			for _, email := range []string{"ada@example.com", "grace@example.com"} {
				var id crm.ID
				if err := tx.QueryRow(`SELECT id FROM contacts WHERE workspace_id = ? AND email = ?`, p.WorkspaceID, email).Scan(&id); err != nil {
					return err
				}
				states, err := consent.Current(tx, p.WorkspaceID, id)
				if err != nil {
					return err
				}
				for _, s := range states {
					if s.Status != "" {
						lines = append(lines, email+" "+s.Purpose.Key+" "+s.Status)
					}
				}
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		if got := strings.Join(lines, "\n"); got != "ada@example.com marketing_email withdrawn\ngrace@example.com marketing_email granted" {
			t.Fatalf("consents:\n%s", got)
		}
	})
}

// TestCancelDropsDecidedRows: a cancel that the first batch's commit sees
// stops the import there; the second batch, decided meanwhile, writes
// nothing, and the resumed import brings every row once.
func TestCancelDropsDecidedRows(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		p := member(t, db, 0, crm.RoleAdmin, "admin@example.com")
		imp := create(t, db, p, writeFile(t, overlapFile), nil)
		cancel := func() {
			err := db.Write(ctx, func(tx *store.Tx) error { _, err := importer.Cancel(tx, p, imp.ID); return err })
			if err != nil {
				t.Error(err)
			}
		}
		imp, err := importer.Execute(ctx, db, p.WorkspaceID, imp.ID, importer.Options{TxRows: 2, Overlap: true, OnRow: holdFirstCommit(t, 5, cancel)})
		if err != nil || imp.Status != importer.Cancelled || imp.RowsDone != 0 {
			t.Fatalf("%v %s after %d rows", err, imp.Status, imp.RowsDone)
		}
		if n := count(t, db, `SELECT count(*) FROM contacts WHERE workspace_id = ?`, p.WorkspaceID); n != 0 {
			t.Fatalf("the cancelled import left %d contacts", n)
		}
		if n := count(t, db, `SELECT count(*) FROM import_stage_contacts WHERE workspace_id = ?`, p.WorkspaceID); n != 0 {
			t.Fatalf("the cancelled import left %d staged contacts", n)
		}
		err = db.Write(ctx, func(tx *store.Tx) error { _, err := importer.Resume(tx, p, imp.ID); return err })
		if err != nil {
			t.Fatal(err)
		}
		imp, err = importer.Execute(ctx, db, p.WorkspaceID, imp.ID, importer.Options{TxRows: 2})
		if err != nil || imp.Status != importer.Done || imp.Summary() != "created=3 updated=2 skipped=0 errors=0" {
			t.Fatalf("resumed: %v %s %s", err, imp.Status, imp.Summary())
		}
		if got := strings.Join(contactsOf(t, db, p.WorkspaceID), "\n"); strings.Count(got, "\n") != 2 || !strings.Contains(got, "Countess") {
			t.Fatalf("contacts after the resume:\n%s", got)
		}
	})
}

// TestRowsDoneBeforeTheMerge: Options.RowsDone is called once, after the
// last batch committed and before the staged records are moved in (the
// command line lowers its memory limit there).
func TestRowsDoneBeforeTheMerge(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		p := member(t, db, 0, crm.RoleAdmin, "admin@example.com")
		imp := create(t, db, p, writeFile(t, overlapFile), nil)
		calls, rows, atRows, moved := 0, 0, -1, -1
		o := importer.Options{TxRows: 2, Overlap: true, OnProgress: func(i importer.Import) { rows = i.RowsDone }, RowsDone: func() {
			calls++
			atRows = rows // every batch's commit reported
			moved = count(t, db, `SELECT count(*) FROM contacts WHERE workspace_id = ?`, p.WorkspaceID)
		}}
		imp, err := importer.Execute(ctx, db, p.WorkspaceID, imp.ID, o)
		if err != nil || imp.Status != importer.Done {
			t.Fatalf("%v %s %q", err, imp.Status, imp.Error)
		}
		if calls != 1 || moved != 0 || atRows != imp.RowsDone || atRows == 0 {
			t.Fatalf("RowsDone called %d times, with %d contacts moved in and %d rows of %d committed", calls, moved, atRows, imp.RowsDone)
		}
	})
}
