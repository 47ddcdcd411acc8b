package importer_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/tandemcrm/tandem/internal/consent"
	"github.com/tandemcrm/tandem/internal/crm"
	"github.com/tandemcrm/tandem/internal/importer"
	"github.com/tandemcrm/tandem/internal/secrets"
	"github.com/tandemcrm/tandem/internal/store"
	"github.com/tandemcrm/tandem/internal/store/testdb"
)

// TestImportRespectsSuppression: an import applies the suppression list as
// records does to a contact made or edited by hand. A new contact whose
// email or phone, primary or other, is suppressed (an erased, unsubscribed
// or bounced person) is not created, and the report says why without
// quoting the address. A row that updates a contact is not refused for the
// address it was found by (an unsubscribed customer stays updatable); a
// suppressed address it would add is left out with a warning. With
// re-creation allowed in the consent settings, everything imports.
func TestImportRespectsSuppression(t *testing.T) {
	key, err := secrets.LoadOrCreateKey(t.TempDir(), "")
	if err != nil {
		t.Fatal(err)
	}
	consent.SetKey(key)
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		p := member(t, db, 0, crm.RoleOwner, "o@sup.test")
		if imp := runImport(t, db, p, "contacts", "First Name,Last Name,Email\nUna,Sub,una@example.com\n", nil, false); imp.Created != 1 {
			t.Fatalf("first import: %s", imp.Summary())
		}
		if err := db.Write(ctx, func(tx *store.Tx) error {
			for _, s := range []struct {
				kind          consent.Kind
				value, reason string
			}{
				{consent.Email, "gone@example.com", "erased"},
				{consent.Email, "una@example.com", "unsubscribed"},
				{consent.Email, "other@example.com", "bounced"},
				{consent.Phone, "+44 20 7946 0958", "manual"},
				{consent.Domain, "blocked.example", "manual"}, // restricts sending, not creating
			} {
				if err := consent.Suppress(tx, p.WorkspaceID, s.kind, s.value, s.reason, crm.System); err != nil {
					return err
				}
			}
			return nil
		}); err != nil {
			t.Fatal(err)
		}
		imp := runImport(t, db, p, "contacts", "First Name,Last Name,Email,Other Emails,Phone,Mobile Phone,Job Title\n"+
			"Ann,Keep,ann@example.com,,,,\n"+
			"Gone,Person,GONE@example.com,,,,\n"+
			"Phil,Phone,phil@example.com,,,+44 20 7946 0958,\n"+
			"Oli,Other,oli@example.com,other@example.com,,,\n"+
			"Una,Sub,una@example.com,other@example.com,0044 20 7946 0958,,Buyer\n"+
			"Bea,Blocked,bea@blocked.example,,,,\n", nil, false)
		if imp.Created != 2 || imp.Updated != 1 || imp.Skipped != 3 {
			t.Fatalf("import: %s, want created=2 updated=1 skipped=3", imp.Summary())
		}
		var issues []importer.Issue
		if err := db.Read(ctx, func(tx *store.Tx) (err error) { issues, err = importer.Issues(tx, p, imp.ID, 0, 50); return err }); err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, is := range issues {
			if strings.Contains(is.Value, "example.com") || strings.Contains(is.Value, "7946") {
				t.Errorf("line %d quotes a suppressed value: %+v", is.Line, is)
			}
			reason := is.Message[strings.Index(is.Message, "(")+1 : strings.Index(is.Message, ")")]
			got = append(got, strings.Join([]string{string(is.Action), is.Column, reason, strings.SplitN(is.Message, ":", 2)[0]}, " "))
		}
		want := []string{
			"skipped Email erased not imported",
			"skipped Mobile Phone manual not imported",
			"skipped Other Emails bounced not imported",
			"warning Other Emails bounced left out",
			"warning Phone manual left out",
		}
		if !slices.Equal(got, want) {
			t.Fatalf("report:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
		}
		var una []string
		for _, c := range contactsOf(t, db, p.WorkspaceID) {
			if strings.HasPrefix(c, "Una") {
				una = append(una, c)
			}
		}
		if len(una) != 1 || !strings.Contains(una[0], `[{"email":"una@example.com"}]`) || strings.Contains(una[0], "7946") || !strings.Contains(una[0], "Buyer") {
			t.Fatalf("Una after the update: %q, want her title changed and nothing suppressed added", una)
		}

		// Allowed: the same rows come in (they stay uncontactable: consent
		// reads the list, see internal/consent).
		if err := db.Write(ctx, func(tx *store.Tx) error {
			s, err := consent.Load(tx, p.WorkspaceID)
			if err != nil {
				return err
			}
			s.AllowRecreate = true
			return consent.Save(tx, p, s)
		}); err != nil {
			t.Fatal(err)
		}
		imp = runImport(t, db, p, "contacts", "First Name,Last Name,Email,Mobile Phone\nGone,Person,gone@example.com,\nPhil,Phone,phil@example.com,+44 20 7946 0958\n", nil, false)
		if imp.Created != 2 || imp.Skipped != 0 {
			t.Fatalf("with re-creation allowed: %s, want created=2", imp.Summary())
		}
	})
}
