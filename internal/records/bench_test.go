package records_test

import (
	"context"
	"testing"

	"github.com/tandemcrm/tandem/internal/crm"
	"github.com/tandemcrm/tandem/internal/records"
	"github.com/tandemcrm/tandem/internal/store"
	"github.com/tandemcrm/tandem/internal/store/testdb"
)

// BenchmarkQueryContactsPage reads and scans one list page of 50 contacts
// with their company (SQLite, 5,000 contacts, newest first, no filter): the
// query, the row scanning and the JSON columns' decoding.
func BenchmarkQueryContactsPage(b *testing.B) {
	db := testdb.New(b)
	ctx := context.Background()
	var p crm.Principal
	if err := db.Write(ctx, func(tx *store.Tx) error {
		p = crm.Principal{UserID: tx.NewID(), WorkspaceID: tx.NewID(), Role: crm.RoleOwner}
		_, err := tx.Unscoped().Exec(`INSERT INTO workspaces (id, name, created_at, updated_at) VALUES (?, 'Bench', 0, 0)`, p.WorkspaceID)
		if err != nil {
			return err
		}
		for i := range 5000 {
			if _, err := tx.Exec(`INSERT INTO contacts (id, workspace_id, first_name, last_name, email, emails, phones, tags, custom, created_at, updated_at)
				VALUES (?, ?, 'Person', 'Lastname', 'p@example.com', '[{"email":"p@example.com"}]', '[]', '["vip"]', '{"region":"EMEA"}', ?, ?)`,
				tx.NewID(), p.WorkspaceID, i, i); err != nil {
				return err
			}
		}
		return nil
	}); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if err := db.Read(ctx, func(tx *store.Tx) error {
			page, err := records.QueryContacts(tx, p, records.ListQuery{Limit: 50, Cursor: ""})
			if err == nil && len(page.Items) != 50 {
				b.Fatalf("%d rows", len(page.Items))
			}
			return err
		}); err != nil {
			b.Fatal(err)
		}
	}
}
