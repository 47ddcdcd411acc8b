package importer_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/tandemcrm/tandem/internal/consent"
	"github.com/tandemcrm/tandem/internal/crm"
	"github.com/tandemcrm/tandem/internal/importer"
	"github.com/tandemcrm/tandem/internal/records"
	"github.com/tandemcrm/tandem/internal/store"
	"github.com/tandemcrm/tandem/internal/store/testdb"
)

// setPurposes replaces the workspace's consent purposes.
func setPurposes(t *testing.T, db *store.DB, p crm.Principal, ps ...consent.Purpose) {
	t.Helper()
	if err := db.Write(ctx, func(tx *store.Tx) error {
		return consent.Save(tx, p, consent.Settings{Tracking: consent.TrackingConsent, Purposes: ps})
	}); err != nil {
		t.Fatal(err)
	}
}

// consentState is a contact's consent.Current as "purpose=status#entry"
// per purpose, so two readings compare entry for entry.
func consentState(t *testing.T, db *store.DB, ws, contact crm.ID) string {
	t.Helper()
	var out []string
	err := db.Read(ctx, func(tx *store.Tx) error {
		states, err := consent.Current(tx, ws, contact)
		for _, s := range states {
			out = append(out, fmt.Sprintf("%s=%s#%d", s.Purpose.Key, s.Status, s.Latest.ID))
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return strings.Join(out, " ")
}

func recordConsent(t *testing.T, db *store.DB, p crm.Principal, contact crm.ID, purpose, status string) {
	t.Helper()
	if err := db.Write(ctx, func(tx *store.Tx) error {
		_, err := consent.Record(tx, p.WorkspaceID, contact, consent.Entry{Purpose: purpose, Status: status}, p.Actor())
		return err
	}); err != nil {
		t.Fatal(err)
	}
}

func contactID(t *testing.T, db *store.DB, ws crm.ID, email string) crm.ID {
	t.Helper()
	var id crm.ID
	if err := db.Read(ctx, func(tx *store.Tx) error {
		return tx.QueryRow(`SELECT id FROM contacts WHERE workspace_id = ? AND email = ?`, ws, email).Scan(&id)
	}); err != nil {
		t.Fatal(err)
	}
	return id
}

// TestConsentCustomPurposes: a workspace's own purpose is offered and
// matched by its label or key with "consent"; a removed default is not;
// the entry is recorded with the import as evidence; a dry run records
// nothing; a template naming a purpose the workspace lacks is refused
// with the purposes it has.
func TestConsentCustomPurposes(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		p := member(t, db, 0, crm.RoleAdmin, "admin@example.com")
		setPurposes(t, db, p, consent.Purpose{Key: "marketing_email", Label: "Marketing email", RequiresConsent: true},
			consent.Purpose{Key: "webinars", Label: "Webinar invitations", RequiresConsent: true})
		file := "Email,Webinar invitations consent,SMS Consent\n" +
			"a@example.com,yes,yes\n" +
			"b@example.com,unsubscribed,\n"
		dry := runImport(t, db, p, "contacts", file, nil, true)
		if got := fieldList(dry.Template); got != "email,consent.webinars," {
			t.Fatalf("automatic mapping: %s", got)
		}
		if n := count(t, db, `SELECT count(*) FROM consent_records WHERE workspace_id = ?`, p.WorkspaceID); n != 0 {
			t.Fatalf("a dry run recorded %d consents", n)
		}
		imp := runImport(t, db, p, "contacts", file, nil, false)
		if imp.Summary() != "created=2 updated=0 skipped=0 errors=0" {
			t.Fatalf("import: %s %q", imp.Summary(), imp.Error)
		}
		a, b := contactID(t, db, p.WorkspaceID, "a@example.com"), contactID(t, db, p.WorkspaceID, "b@example.com")
		var got []string
		if err := db.Read(ctx, func(tx *store.Tx) error {
			for _, c := range []crm.ID{a, b} {
				states, err := consent.Current(tx, p.WorkspaceID, c)
				if err != nil {
					return err
				}
				for _, s := range states {
					if s.Status != "" {
						got = append(got, s.Purpose.Key+" "+s.Status+" "+s.Latest.Source+" "+
							strings.Replace(s.Latest.NoticeVersion, imp.ID.String(), "ID", 1)+" "+fmt.Sprint(s.Latest.ImportID == imp.ID))
					}
				}
			}
			return nil
		}); err != nil {
			t.Fatal(err)
		}
		if want := "webinars granted import import ID: in.csv true\nwebinars withdrawn import import ID: in.csv true"; strings.Join(got, "\n") != want {
			t.Fatalf("ledger:\n%s\nwant:\n%s", strings.Join(got, "\n"), want)
		}

		// The key works as a header too.
		dry = runImport(t, db, p, "contacts", "Email,webinars consent\nc@example.com,yes\n", nil, true)
		if got := fieldList(dry.Template); got != "email,consent.webinars" {
			t.Fatalf("mapping by key: %s", got)
		}

		// A template for a purpose the workspace does not have.
		tmpl := &importer.Template{Kind: "contacts", Columns: []importer.ColumnMap{{Header: "Email", Field: "email"},
			{Header: "SMS Consent", Field: "consent.sms"}}, Dedupe: importer.Dedupe{Policy: importer.CreateOrUpdate, Match: "email"}}
		err := db.Write(ctx, func(tx *store.Tx) error {
			_, err := importer.Create(tx, p, importer.NewImport{Kind: "contacts", FileName: "in.csv", FilePath: writeFile(t, file), Template: tmpl})
			return err
		})
		msg := crm.ErrorFields(err)["columns.SMS Consent"]
		if crm.ErrorCode(err) != crm.Invalid || !strings.Contains(msg, `no consent purpose "sms"`) || !strings.Contains(msg, "marketing_email, webinars") {
			t.Fatalf("unknown purpose: %v %q", err, msg)
		}
	})
}

func fieldList(t importer.Template) string {
	var out []string
	for _, c := range t.Columns {
		out = append(out, c.Field)
	}
	return strings.Join(out, ",")
}

// TestUndoConsent: undo puts every purpose of a contact the import updated
// back to its state before the import — the same ledger entry, or nothing —
// by appending "reverted" entries; a purpose decided again since is left
// alone; the contact the import created leaves no ledger rows; and an
// import undone earlier does not come back when a later one is undone.
func TestUndoConsent(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		p := member(t, db, 0, crm.RoleAdmin, "undo@example.com")
		setPurposes(t, db, p, consent.Purpose{Key: "marketing_email", Label: "Marketing email", RequiresConsent: true},
			consent.Purpose{Key: "webinars", Label: "Webinar invitations", RequiresConsent: true})
		old := existing(t, db, p, records.NewContact{FirstName: "Old", Email: "old@example.com"})
		fay := existing(t, db, p, records.NewContact{FirstName: "Fay", Email: "fay@example.com"})
		recordConsent(t, db, p, old.ID, "marketing_email", "withdrawn")
		recordConsent(t, db, p, fay.ID, "marketing_email", "granted")
		oldBefore, fayBefore := consentState(t, db, p.WorkspaceID, old.ID), consentState(t, db, p.WorkspaceID, fay.ID)

		file := "Email,Email Opt-In,Webinar invitations consent\n" +
			"old@example.com,yes,yes\n" +
			"fay@example.com,no,yes\n" +
			"new@example.com,yes,no\n"
		imp := runImport(t, db, p, "contacts", file, nil, false)
		if imp.Summary() != "created=1 updated=2 skipped=0 errors=0" {
			t.Fatalf("import: %s %q", imp.Summary(), imp.Error)
		}
		created := contactID(t, db, p.WorkspaceID, "new@example.com")
		if s := consentState(t, db, p.WorkspaceID, old.ID); !strings.HasPrefix(s, "marketing_email=granted") || !strings.Contains(s, "webinars=granted") {
			t.Fatalf("after the import: %s", s)
		}
		// Fay withdraws from webinars after the import: that decision stands.
		recordConsent(t, db, p, fay.ID, "webinars", "withdrawn")
		fayLater := consentState(t, db, p.WorkspaceID, fay.ID)

		_, res, err := importer.UndoImport(ctx, db, p, imp.ID)
		// Consents: the created contact's two entries, old's two purposes, fay's marketing.
		// (Only consent columns changed the existing contacts: no before-images.)
		if err != nil || res != (importer.UndoResult{Removed: 1, Consents: 5}) {
			t.Fatalf("undo: %+v %v", res, err)
		}
		if got := consentState(t, db, p.WorkspaceID, old.ID); got != oldBefore {
			t.Fatalf("old after undo: %s\nbefore the import: %s", got, oldBefore)
		}
		wantFay := strings.Fields(fayBefore)[0] + " " + strings.Fields(fayLater)[1]
		if got := consentState(t, db, p.WorkspaceID, fay.ID); got != wantFay || !strings.Contains(got, "webinars=withdrawn") {
			t.Fatalf("fay after undo: %s, want %s", got, wantFay)
		}
		for _, table := range []string{"consent_records", "consent_current"} {
			if n := count(t, db, `SELECT count(*) FROM `+table+` WHERE workspace_id = ? AND contact_id = ?`, p.WorkspaceID, created); n != 0 {
				t.Fatalf("%d rows of the removed contact left in %s", n, table)
			}
		}
		// The ledger keeps the import's entries and says they were taken back.
		if n := count(t, db, `SELECT count(*) FROM consent_records WHERE workspace_id = ? AND contact_id = ? AND status = 'reverted'
			AND source = 'import_undo' AND import_id = ?`, p.WorkspaceID, old.ID, imp.ID); n != 2 {
			t.Fatalf("%d reverted entries for old, want 2", n)
		}
		if n := count(t, db, `SELECT count(*) FROM consent_records WHERE workspace_id = ? AND contact_id = ? AND status = 'granted'
			AND source = 'import'`, p.WorkspaceID, old.ID); n != 2 {
			t.Fatalf("the import's entries for old: %d, want them kept", n)
		}
		if n := count(t, db, `SELECT count(*) FROM events WHERE workspace_id = ? AND object_type = 'contact' AND object_id = ?
			AND changes LIKE '%consent webinars%' AND actor_id = ?`, p.WorkspaceID, old.ID, p.UserID); n != 2 {
			t.Fatalf("consent events of old: %d (want the import's and the undo's)", n)
		}

		// A second import, undone: the first (undone) import's entries do
		// not count as the state before it.
		imp2 := runImport(t, db, p, "contacts", "Email,Email Opt-In\nold@example.com,denied\n", nil, false)
		if s := consentState(t, db, p.WorkspaceID, old.ID); !strings.HasPrefix(s, "marketing_email=denied") {
			t.Fatalf("after the second import: %s", s)
		}
		if _, res, err := importer.UndoImport(ctx, db, p, imp2.ID); err != nil || res.Consents != 1 {
			t.Fatalf("second undo: %+v %v", res, err)
		}
		if got := consentState(t, db, p.WorkspaceID, old.ID); got != oldBefore {
			t.Fatalf("old after the second undo: %s\nbefore the imports: %s", got, oldBefore)
		}
		if n := count(t, db, `SELECT count(*) FROM consent_current WHERE workspace_id = ? AND status = 'reverted'`, p.WorkspaceID); n != 0 {
			t.Fatalf("%d current states are 'reverted'", n)
		}
	})
}

// TestUndoConsentChunks: an undo reverting more purposes than one chunk
// holds reverts them all, each once.
func TestUndoConsentChunks(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		p := member(t, db, 0, crm.RoleAdmin, "chunks@example.com")
		var plain, opted strings.Builder
		plain.WriteString("Email\n")
		opted.WriteString("Email,Email Opt-In,SMS Consent\n")
		for i := range 700 {
			fmt.Fprintf(&plain, "p%d@example.com\n", i)
			fmt.Fprintf(&opted, "p%d@example.com,yes,no\n", i)
		}
		runImport(t, db, p, "contacts", plain.String(), nil, false)
		imp := runImport(t, db, p, "contacts", opted.String(), nil, false)
		if imp.Summary() != "created=0 updated=700 skipped=0 errors=0" {
			t.Fatalf("import: %s", imp.Summary())
		}
		_, res, err := importer.UndoImport(ctx, db, p, imp.ID)
		if err != nil || res.Consents != 1400 {
			t.Fatalf("undo: %+v %v", res, err)
		}
		if n := count(t, db, `SELECT count(*) FROM consent_current WHERE workspace_id = ?`, p.WorkspaceID); n != 0 {
			t.Fatalf("%d current states left", n)
		}
		if n := count(t, db, `SELECT count(*) FROM consent_records WHERE workspace_id = ? AND status = 'reverted'`, p.WorkspaceID); n != 1400 {
			t.Fatalf("%d reverted entries, want 1400", n)
		}
	})
}

// TestUndoConsentAfterMerge: a contact an import created, merged into an
// existing one, brings its consent with it (consent.Merge); undoing the
// import then takes that consent back on the survivor, as for any contact
// the import updated, and the survivor's own state before the import
// returns.
func TestUndoConsentAfterMerge(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		p := member(t, db, 0, crm.RoleAdmin, "merge-undo@example.com")
		keep := existing(t, db, p, records.NewContact{FirstName: "Kim", Email: "kim@example.com"})
		recordConsent(t, db, p, keep.ID, "marketing_email", "withdrawn")
		before := consentState(t, db, p.WorkspaceID, keep.ID)
		imp := runImport(t, db, p, "contacts", "Email,First Name,Email Opt-In\nkim.work@example.com,Kim,yes\n", nil, false)
		if imp.Summary() != "created=1 updated=0 skipped=0 errors=0" {
			t.Fatalf("import: %s %q", imp.Summary(), imp.Error)
		}
		dup := contactID(t, db, p.WorkspaceID, "kim.work@example.com")
		if err := db.Write(ctx, func(tx *store.Tx) error {
			_, err := records.MergeContacts(tx, p, keep.ID, dup, nil)
			return err
		}); err != nil {
			t.Fatal(err)
		}
		if s := consentState(t, db, p.WorkspaceID, keep.ID); !strings.HasPrefix(s, "marketing_email=granted") {
			t.Fatalf("after the merge: %s", s)
		}
		if _, _, err := importer.UndoImport(ctx, db, p, imp.ID); err != nil {
			t.Fatalf("undo: %v", err)
		}
		if got := consentState(t, db, p.WorkspaceID, keep.ID); got != before {
			t.Fatalf("after the undo: %s\nbefore the import: %s", got, before)
		}
	})
}
