package importer_test

import (
	"testing"

	"github.com/tandemcrm/tandem/internal/crm"
	"github.com/tandemcrm/tandem/internal/importer"
	"github.com/tandemcrm/tandem/internal/store"
	"github.com/tandemcrm/tandem/internal/store/testdb"
)

// TestSavedTemplates: save (and replace by name), list, use, delete; other
// workspaces see nothing; read-only members cannot save.
func TestSavedTemplates(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		p := member(t, db, 0, crm.RoleMember, "tpl@example.com")
		tmpl := *template("email", importer.CreateOrUpdate)
		var saved importer.SavedTemplate
		err := db.Write(ctx, func(tx *store.Tx) (err error) {
			if _, err = importer.SaveTemplate(tx, p, "HubSpot", tmpl); err != nil {
				return err
			}
			tmpl.Dedupe.Policy = importer.CreateOnly
			saved, err = importer.SaveTemplate(tx, p, "HubSpot", tmpl)
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		var list []importer.SavedTemplate
		_ = db.Read(ctx, func(tx *store.Tx) (err error) { list, err = importer.Templates(tx, p, "contacts"); return err })
		if len(list) != 1 || list[0].ID != saved.ID || list[0].Template.Dedupe.Policy != importer.CreateOnly {
			t.Fatalf("templates: %+v", list)
		}
		existing(t, db, p, recordsContact("old@example.com"))
		imp := runImport(t, db, p, "contacts", policyFile, &list[0].Template, false)
		if imp.Summary() != "created=1 updated=0 skipped=1 errors=0" {
			t.Fatalf("import with the saved template: %s", imp.Summary())
		}
		other := member(t, db, 0, crm.RoleOwner, "other-tpl@example.com")
		err = db.Read(ctx, func(tx *store.Tx) error { _, err := importer.GetTemplate(tx, other, saved.ID); return err })
		if crm.ErrorCode(err) != crm.NotFound {
			t.Fatalf("other workspace: %v", err)
		}
		ro := member(t, db, p.WorkspaceID, crm.RoleReadOnly, "ro-tpl@example.com")
		err = db.Write(ctx, func(tx *store.Tx) error { _, err := importer.SaveTemplate(tx, ro, "x", tmpl); return err })
		if crm.ErrorCode(err) != crm.Forbidden {
			t.Fatalf("read-only save: %v", err)
		}
		err = db.Write(ctx, func(tx *store.Tx) error { _, err := importer.SaveTemplate(tx, p, "", importer.Template{}); return err })
		if f := crm.ErrorFields(err); f["name"] == "" || f["template.kind"] == "" {
			t.Fatalf("invalid template: %v", err)
		}
		if err := db.Write(ctx, func(tx *store.Tx) error { return importer.DeleteTemplate(tx, p, saved.ID) }); err != nil {
			t.Fatal(err)
		}
	})
}
