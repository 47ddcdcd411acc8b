package importer_test

import (
	"bytes"
	"testing"
	"time"

	"github.com/tandemcrm/tandem/internal/crm"
	"github.com/tandemcrm/tandem/internal/importer"
	"github.com/tandemcrm/tandem/internal/records"
	"github.com/tandemcrm/tandem/internal/seed"
	"github.com/tandemcrm/tandem/internal/store"
	"github.com/tandemcrm/tandem/internal/store/testdb"
)

// TestSeedExportsAreByteIdentical: the bench generator is deterministic to
// the byte — the same seed gives the same CSV export, on SQLite and on
// PostgreSQL alike; another seed gives another file. Benchmarks at the same
// seed therefore measure the same data.
func TestSeedExportsAreByteIdentical(t *testing.T) {
	export := func(t *testing.T, db *store.DB, s uint64) []byte {
		t.Helper()
		res, err := seed.Generate(ctx, db, seed.Options{Seed: s, WorkspaceName: "Bench", Users: 4, Companies: 60, Contacts: 600,
			Deals: 50, Activities: 100, Now: time.Date(2026, 6, 1, 9, 0, 0, 0, time.UTC), Password: "a fixed long password"})
		if err != nil {
			t.Fatal(err)
		}
		p := crm.Principal{WorkspaceID: res.WorkspaceID, Role: crm.RoleOwner}
		if err := db.Read(ctx, func(tx *store.Tx) error {
			return tx.QueryRow(`SELECT m.user_id FROM memberships m JOIN users u ON u.id = m.user_id WHERE m.workspace_id = ? AND u.email = ?`,
				res.WorkspaceID, res.OwnerEmail).Scan(&p.UserID)
		}); err != nil {
			t.Fatal(err)
		}
		var buf bytes.Buffer
		n, err := importer.ExportContacts(ctx, db, p, records.ListQuery{Sort: "last_name,first_name,email"}, "csv", nil, &buf)
		if err != nil || n != 600 {
			t.Fatalf("export: %d rows, %v", n, err)
		}
		return buf.Bytes()
	}
	first := export(t, testdb.New(t), 7)
	if again := export(t, testdb.New(t), 7); !bytes.Equal(first, again) {
		t.Fatal("two SQLite runs with seed 7 export different files")
	}
	if other := export(t, testdb.New(t), 8); bytes.Equal(first, other) {
		t.Fatal("seeds 7 and 8 export the same file")
	}
	t.Run("postgres", func(t *testing.T) {
		if pg := export(t, testdb.Postgres(t), 7); !bytes.Equal(first, pg) {
			t.Fatal("seed 7 exports differently from PostgreSQL than from SQLite")
		}
	})
}
