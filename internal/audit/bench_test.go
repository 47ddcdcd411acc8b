package audit_test

import (
	"context"
	"testing"

	"github.com/tandemcrm/tandem/internal/audit"
	"github.com/tandemcrm/tandem/internal/crm"
	"github.com/tandemcrm/tandem/internal/store"
	"github.com/tandemcrm/tandem/internal/store/testdb"
)

// BenchmarkEmit is the cost the change log adds to a write: one contact
// event per op, in transactions of 500 (an import batch), with and
// without audit.Install (SQLite).
func BenchmarkEmit(b *testing.B) {
	for _, withAudit := range []bool{false, true} {
		name := "events"
		if withAudit {
			name = "events+audit"
		}
		b.Run(name, func(b *testing.B) {
			db := testdb.New(b)
			if withAudit {
				audit.Install(db)
			}
			ws := db.NewID()
			ch := map[string]crm.Change{"email": {After: "a@example.com"}, "first_name": {After: "Ann"}}
			b.ResetTimer()
			for i := 0; i < b.N; i += 500 {
				err := db.Write(context.Background(), func(tx *store.Tx) error {
					for j := i; j < min(i+500, b.N); j++ {
						if err := tx.Emit(crm.Event{WorkspaceID: ws, ObjectType: "contact", ObjectID: crm.ID(j + 1), Action: crm.Created, Changes: ch}); err != nil {
							return err
						}
					}
					return nil
				})
				if err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
