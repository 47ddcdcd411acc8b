package records_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/tandemcrm/tandem/internal/crm"
	"github.com/tandemcrm/tandem/internal/records"
	"github.com/tandemcrm/tandem/internal/store"
	"github.com/tandemcrm/tandem/internal/store/testdb"
)

// TestConcurrentUpdateIsAConflict: on PostgreSQL two writers run at once.
// Writer A reads version 1, then its UPDATE waits on the row lock held by
// writer B; B commits version 2. A's "WHERE version = 1" then matches no
// row, and A must report a conflict rather than claim success with an
// update that never happened (a lost update).
func TestConcurrentUpdateIsAConflict(t *testing.T) {
	db := testdb.Postgres(t)
	ctx := context.Background()
	p := owner(t, db, crm.RoleAdmin)
	var contact records.Contact
	var company records.Company
	if err := db.Write(ctx, func(tx *store.Tx) (err error) {
		if contact, err = records.CreateContact(tx, p, records.NewContact{FirstName: "Ada", LastName: "Lovelace"}); err != nil {
			return err
		}
		company, err = records.CreateCompany(tx, p, records.NewCompany{Name: "Analytical"})
		return err
	}); err != nil {
		t.Fatal(err)
	}

	cases := []struct {
		name, table string
		id          crm.ID
		update      func(tx *store.Tx) error
	}{
		{"contact", "contacts", contact.ID, func(tx *store.Tx) error {
			title := "Countess"
			_, err := records.UpdateContact(tx, p, contact.ID, records.ContactPatch{Title: &title}, 0)
			return err
		}},
		{"company", "companies", company.ID, func(tx *store.Tx) error {
			name := "Analytical Engines"
			_, err := records.UpdateCompany(tx, p, company.ID, records.CompanyPatch{Name: &name}, 0)
			return err
		}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			locked := make(chan struct{})
			release := make(chan struct{})
			bDone := make(chan error, 1)
			go func() { // writer B: bump the version and hold the row lock
				bDone <- db.Write(ctx, func(tx *store.Tx) error {
					if _, err := tx.Exec(`UPDATE `+c.table+` SET version = version + 1 WHERE workspace_id = ? AND id = ?`, p.WorkspaceID, c.id); err != nil {
						return err
					}
					close(locked)
					<-release
					return nil
				})
			}()
			<-locked
			aDone := make(chan error, 1)
			go func() { aDone <- db.Write(ctx, c.update) }()
			waitForLockWait(t, db)
			close(release)
			if err := <-bDone; err != nil {
				t.Fatal(err)
			}
			err := <-aDone
			var ce *crm.Error
			if !errors.As(err, &ce) || ce.Code != crm.Conflict {
				t.Fatalf("concurrent update: got %v, want a conflict", err)
			}
		})
	}
}

// waitForLockWait returns once some session of the test database waits on a
// lock: writer A has read the row and is blocked in its UPDATE.
func waitForLockWait(t *testing.T, db *store.DB) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		var n int
		if err := db.Read(context.Background(), func(tx *store.Tx) error {
			return tx.QueryRow(`SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'`).Scan(&n)
		}); err != nil {
			t.Fatal(err)
		}
		if n > 0 {
			return
		}
		time.Sleep(10 * time.Millisecond)
	}
	t.Fatal("writer A never waited on the row lock")
}
