package privacy_test

import (
	"context"
	"testing"
	"time"

	"github.com/tandemcrm/tandem/internal/crm"
	"github.com/tandemcrm/tandem/internal/jobs"
	"github.com/tandemcrm/tandem/internal/privacy"
	"github.com/tandemcrm/tandem/internal/records"
	"github.com/tandemcrm/tandem/internal/store"
	"github.com/tandemcrm/tandem/internal/store/testdb"
)

// The retention job, run by River, purges a contact long in the trash.
func TestRetentionJobRunsThroughRiver(t *testing.T) {
	c := &clock{}
	testdb.EachWith(t, testdb.Options{Clock: c.now}, func(t *testing.T, db *store.DB) {
		c.set(start())
		ctx := context.Background()
		p := owner(t, db, crm.RoleOwner)
		var id crm.ID
		err := db.Write(ctx, func(tx *store.Tx) error {
			ct, err := records.CreateContact(tx, p, records.NewContact{FirstName: "Trashed", Email: "trashed@example.com"})
			if err != nil {
				return err
			}
			id = ct.ID
			return records.DeleteContact(tx, p, ct.ID)
		})
		if err != nil {
			t.Fatal(err)
		}
		c.add(40 * 24 * time.Hour)
		reg := jobs.NewRegistry()
		privacy.RegisterJobs(reg, db, privacy.Service{Registry: privacy.Default(), FilesDir: t.TempDir()}, nil)
		r, err := jobs.New(db, reg, nil, jobs.Options{PollInterval: 50 * time.Millisecond})
		if err != nil {
			t.Fatal(err)
		}
		if err := db.Write(ctx, func(tx *store.Tx) error { return r.Enqueue(tx, privacy.RetentionArgs{}, nil) }); err != nil {
			t.Fatal(err)
		}
		if err := r.Start(ctx); err != nil {
			t.Fatal(err)
		}
		defer r.Stop(context.Background())
		deadline := time.Now().Add(20 * time.Second)
		for time.Now().Before(deadline) {
			var gone bool
			err := db.Read(ctx, func(tx *store.Tx) error {
				_, err := privacy.LoadSubject(tx, p.WorkspaceID, id)
				gone = crm.ErrorCode(err) == crm.NotFound
				return nil
			})
			if err != nil {
				t.Fatal(err)
			}
			if gone {
				return
			}
			time.Sleep(100 * time.Millisecond)
		}
		t.Fatal("the retention job did not purge the trashed contact")
	})
}
