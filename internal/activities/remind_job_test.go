package activities_test

import (
	"testing"
	"time"

	"github.com/tandemcrm/tandem/internal/activities"
	"github.com/tandemcrm/tandem/internal/crm"
	"github.com/tandemcrm/tandem/internal/jobs"
	"github.com/tandemcrm/tandem/internal/store"
	"github.com/tandemcrm/tandem/internal/store/testdb"
	"github.com/tandemcrm/tandem/internal/sysmail"
)

// TestReminderJobOnRiver runs the real periodic job on River (it runs once
// at start): the due reminder becomes one notification and one queued
// email, delivered by the outbox worker ("logged" without SMTP).
func TestReminderJobOnRiver(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		p := workspace(t, db, crm.RoleMember)
		due := time.Now().Add(time.Minute)
		create(t, db, p, activities.Input{Title: ptr("Pitch"), DueAt: &due, RemindBefore: ptr(5)})
		reg := jobs.NewRegistry()
		rem := &activities.Reminders{DB: db, Mail: true}
		rem.Register(reg)
		sysmail.Register(reg, db, nil, nil)
		r, err := jobs.New(db, reg, nil, jobs.Options{PollInterval: 50 * time.Millisecond})
		if err != nil {
			t.Fatal(err)
		}
		rem.Queue = r
		must(t, r.Start(ctx))
		defer r.Stop(ctx)
		var n, mails int
		deadline := time.Now().Add(20 * time.Second)
		for time.Now().Before(deadline) {
			must(t, db.Read(ctx, func(tx *store.Tx) error {
				if err := tx.QueryRow(`SELECT count(*) FROM notifications WHERE workspace_id = ?`, p.WorkspaceID).Scan(&n); err != nil {
					return err
				}
				return tx.QueryRow(`SELECT count(*) FROM outbox WHERE workspace_id = ? AND status = 'logged'`, p.WorkspaceID).Scan(&mails)
			}))
			if n > 0 && mails > 0 {
				break
			}
			time.Sleep(100 * time.Millisecond)
		}
		if n != 1 || mails != 1 {
			t.Fatalf("%d notifications, %d emails delivered", n, mails)
		}
	})
}
