package importer_test

import (
	"testing"
	"time"

	"github.com/tandemcrm/tandem/internal/crm"
	"github.com/tandemcrm/tandem/internal/importer"
	"github.com/tandemcrm/tandem/internal/jobs"
	"github.com/tandemcrm/tandem/internal/store"
	"github.com/tandemcrm/tandem/internal/store/testdb"
)

// TestImportJob runs an import as a River job, as the server does.
func TestImportJob(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		reg := jobs.NewRegistry()
		importer.Register(reg, db, nil)
		r, err := jobs.New(db, reg, nil, jobs.Options{PollInterval: 50 * time.Millisecond})
		if err != nil {
			t.Fatal(err)
		}
		if err := r.Start(ctx); err != nil {
			t.Fatal(err)
		}
		defer r.Stop(ctx)
		p := member(t, db, 0, crm.RoleOwner, "job@example.com")
		path := writeFile(t, "Email,Name\na@example.com,A\nb@example.com,B\n")
		var imp importer.Import
		err = db.Write(ctx, func(tx *store.Tx) (err error) {
			if imp, err = importer.Create(tx, p, importer.NewImport{Kind: "contacts", FileName: "in.csv", FilePath: path}); err != nil {
				return err
			}
			return importer.Start(tx, r, db, imp, nil)
		})
		if err != nil {
			t.Fatal(err)
		}
		for deadline := time.Now().Add(30 * time.Second); ; time.Sleep(50 * time.Millisecond) {
			_ = db.Read(ctx, func(tx *store.Tx) (err error) { imp, err = importer.Get(tx, p, imp.ID); return err })
			if imp.Status == importer.Done {
				break
			}
			if time.Now().After(deadline) {
				t.Fatalf("the job did not run: %s %q", imp.Status, imp.Error)
			}
		}
		if imp.Summary() != "created=2 updated=0 skipped=0 errors=0" {
			t.Fatal(imp.Summary())
		}
	})
}
