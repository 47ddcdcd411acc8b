package importer_test

import (
	"strings"
	"testing"

	"github.com/tandemcrm/tandem/internal/crm"
	"github.com/tandemcrm/tandem/internal/importer"
	"github.com/tandemcrm/tandem/internal/records"
	"github.com/tandemcrm/tandem/internal/store"
	"github.com/tandemcrm/tandem/internal/store/testdb"
)

// TestUndo: undo trashes what the import created (contacts and the
// companies it made), restores what it updated from the before-images, and
// leaves alone a record someone changed after the import.
func TestUndo(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		p := member(t, db, 0, crm.RoleAdmin, "undo@example.com")
		e := existing(t, db, p, records.NewContact{FirstName: "Old", LastName: "Timer", Email: "old@example.com", Title: "Founder", Tags: []string{"keep"}})
		f := existing(t, db, p, records.NewContact{FirstName: "Fay", Email: "fay@example.com", Title: "Intern"})
		before := contactsOf(t, db, p.WorkspaceID)
		file := "Email,First Name,Title,Company,Tags\n" +
			"old@example.com,Oldie,CTO,Acme,vip\n" +
			"fay@example.com,Fay,Analyst,,\n" +
			"new@example.com,New,CEO,Acme,\n"
		imp := runImport(t, db, p, "contacts", file, nil, false)
		if imp.Summary() != "created=1 updated=2 skipped=0 errors=0" {
			t.Fatalf("import: %s", imp.Summary())
		}
		// Someone edits Fay after the import.
		title := "Manager"
		if err := db.Write(ctx, func(tx *store.Tx) error {
			_, err := records.UpdateContact(tx, p, f.ID, records.ContactPatch{Title: &title}, 0)
			return err
		}); err != nil {
			t.Fatal(err)
		}
		_, res, err := importer.UndoImport(ctx, db, p, imp.ID)
		if err != nil || res != (importer.UndoResult{Removed: 1, Restored: 1, LeftAlone: 1}) {
			t.Fatalf("undo: %+v %v", res, err)
		}
		after := contactsOf(t, db, p.WorkspaceID)
		want := strings.Replace(strings.Join(before, "\n"), "Intern", "Manager", 1)
		if strings.Join(after, "\n") != want {
			t.Fatalf("after undo:\n%s\nwant:\n%s", strings.Join(after, "\n"), want)
		}
		if n := count(t, db, `SELECT count(*) FROM companies WHERE workspace_id = ? AND deleted_at IS NULL`, p.WorkspaceID); n != 0 {
			t.Fatalf("%d companies left", n)
		}
		checkTerms(t, db)
		if n := count(t, db, `SELECT count(*) FROM search_index WHERE workspace_id = ? AND title LIKE 'New%'`, p.WorkspaceID); n != 0 {
			t.Fatal("the removed contact is still searchable")
		}
		if n := count(t, db, `SELECT count(*) FROM events WHERE workspace_id = ? AND object_type = 'contact' AND object_id = ? AND action = 'updated'`,
			p.WorkspaceID, e.ID); n != 2 {
			t.Fatalf("events of the restored contact: %d (want the import's and the undo's)", n)
		}
		if n := count(t, db, `SELECT count(*) FROM events WHERE workspace_id = ? AND object_type = 'import' AND object_id = ?`, p.WorkspaceID, imp.ID); n != 3 {
			t.Fatalf("import events: %d", n)
		}
		if _, _, err := importer.UndoImport(ctx, db, p, imp.ID); crm.ErrorCode(err) != crm.Conflict {
			t.Fatalf("second undo: %v", err)
		}
		// Past the window, undo is refused.
		imp2 := runImport(t, db, p, "contacts", "Email\nlate@example.com\n", nil, false)
		if err := db.Write(ctx, func(tx *store.Tx) error {
			_, err := tx.Exec(`UPDATE imports SET undo_until = ? WHERE workspace_id = ? AND id = ?`, store.Micros(tx.Now)-1, p.WorkspaceID, imp2.ID)
			return err
		}); err != nil {
			t.Fatal(err)
		}
		if _, _, err := importer.UndoImport(ctx, db, p, imp2.ID); crm.ErrorCode(err) != crm.Conflict || !strings.Contains(err.Error(), "window") {
			t.Fatalf("late undo: %v", err)
		}
	})
}

// TestCancelResume cancels an import after its first batch and resumes
// it: the result equals an uninterrupted import.
func TestCancelResume(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		path := generated(t, 2_000)
		a := member(t, db, 0, crm.RoleOwner, "a@example.com")
		imp := create(t, db, a, path, nil)
		cancelled, err := importer.Execute(ctx, db, a.WorkspaceID, imp.ID, importer.Options{TxRows: 300, OnProgress: func(i importer.Import) {
			if i.RowsDone == 600 {
				_ = db.Write(ctx, func(tx *store.Tx) error { _, err := importer.Cancel(tx, a, imp.ID); return err })
			}
		}})
		if err != nil || cancelled.Status != importer.Cancelled || cancelled.RowsDone != 600 {
			t.Fatalf("cancel: %v %s %d", err, cancelled.Status, cancelled.RowsDone)
		}
		// What the cancelled run committed is searchable like any record.
		checkTerms(t, db)
		if docs, n := count(t, db, `SELECT count(*) FROM search_index WHERE workspace_id = ? AND object_type = 'contact'`, a.WorkspaceID),
			len(contactsOf(t, db, a.WorkspaceID)); n == 0 || docs != n {
			t.Fatalf("after cancel: %d contacts, %d search documents", n, docs)
		}
		if _, _, err := importer.UndoImport(ctx, db, a, imp.ID); err != nil { // undo a cancelled import, then resume?
			t.Fatalf("undo cancelled: %v", err)
		}
		if n := len(contactsOf(t, db, a.WorkspaceID)); n != 0 {
			t.Fatalf("%d contacts after undoing the cancelled part", n)
		}
		if err := db.Write(ctx, func(tx *store.Tx) error { _, err := importer.Resume(tx, a, imp.ID); return err }); crm.ErrorCode(err) != crm.Conflict {
			t.Fatalf("resume of an undone import: %v", err)
		}

		// Cancel again, this time resume.
		imp = create(t, db, a, path, nil)
		_, _ = importer.Execute(ctx, db, a.WorkspaceID, imp.ID, importer.Options{TxRows: 300, OnProgress: func(i importer.Import) {
			if i.RowsDone == 900 {
				_ = db.Write(ctx, func(tx *store.Tx) error { _, err := importer.Cancel(tx, a, imp.ID); return err })
			}
		}})
		if err := db.Write(ctx, func(tx *store.Tx) error { _, err := importer.Resume(tx, a, imp.ID); return err }); err != nil {
			t.Fatal(err)
		}
		done, err := importer.Execute(ctx, db, a.WorkspaceID, imp.ID, importer.Options{TxRows: 300})
		if err != nil || done.Status != importer.Done {
			t.Fatalf("resume: %v %s", err, done.Status)
		}
		b := member(t, db, 0, crm.RoleOwner, "b@example.com")
		clean := create(t, db, b, path, nil)
		clean, _ = importer.Execute(ctx, db, b.WorkspaceID, clean.ID, importer.Options{})
		if done.Summary() != clean.Summary() ||
			strings.Join(contactsOf(t, db, a.WorkspaceID), "\n") != strings.Join(contactsOf(t, db, b.WorkspaceID), "\n") {
			t.Fatalf("resumed %s, clean %s", done.Summary(), clean.Summary())
		}
	})
}
