package privacy_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/tandemcrm/tandem/internal/privacy"
	"github.com/tandemcrm/tandem/internal/store"
	"github.com/tandemcrm/tandem/internal/store/testdb"
)

// TestRemindDue: an open request is brought to the owner's notification
// centre a week before it is due and again once overdue — once each, however
// often the job runs.
func TestRemindDue(t *testing.T) {
	c := &clock{}
	c.set(start())
	testdb.EachWith(t, testdb.Options{Clock: c.now}, func(t *testing.T, db *store.DB) {
		c.set(start())
		ctx := context.Background()
		f := newFixture(t, db)
		if err := db.Write(ctx, func(tx *store.Tx) error {
			_, err := f.sv.CreateRequest(tx, f.p, privacy.NewRequest{Type: "access", Email: "ann@example.com"})
			return err
		}); err != nil {
			t.Fatal(err)
		}
		remind := func() int {
			var n int
			if err := db.Write(ctx, func(tx *store.Tx) (err error) { n, err = privacy.RemindDue(tx, f.p.WorkspaceID); return err }); err != nil {
				t.Fatal(err)
			}
			return n
		}
		titles := func() string {
			var out []string
			_ = db.Read(ctx, func(tx *store.Tx) error {
				rows, err := tx.Query(`SELECT title FROM notifications WHERE workspace_id = ? AND user_id = ? ORDER BY id`, f.p.WorkspaceID, f.p.UserID)
				if err != nil {
					return err
				}
				defer rows.Close()
				for rows.Next() {
					var s string
					rows.Scan(&s)
					out = append(out, s)
				}
				return rows.Err()
			})
			return strings.Join(out, " | ")
		}
		if n := remind(); n != 0 {
			t.Fatalf("%d reminders a month ahead", n)
		}
		c.set(time.Date(2026, 2, 22, 9, 0, 0, 0, time.UTC)) // due Feb 28 (GDPR: one month)
		if n := remind(); n < 1 || remind() != 0 {
			t.Fatalf("a week ahead: %d reminders, then not once only", n)
		}
		c.set(time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC))
		if n := remind(); n < 1 || remind() != 0 {
			t.Fatalf("overdue: %d reminders, then not once only", n)
		}
		if got := titles(); !strings.Contains(got, "Privacy request (access) due Feb 28") || !strings.Contains(got, "overdue since Feb 28") {
			t.Fatalf("notifications: %q", got)
		}
	})
}
