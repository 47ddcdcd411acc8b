package privacy_test

import (
	"context"
	"strings"
	"testing"

	"github.com/tandemcrm/tandem/internal/consent"
	"github.com/tandemcrm/tandem/internal/crm"
	"github.com/tandemcrm/tandem/internal/privacy"
	"github.com/tandemcrm/tandem/internal/records"
	"github.com/tandemcrm/tandem/internal/secrets"
	"github.com/tandemcrm/tandem/internal/store"
	"github.com/tandemcrm/tandem/internal/store/testdb"
)

func TestMain(m *testing.M) {
	k, err := secrets.ParseKey(strings.Repeat("p", 40))
	if err != nil {
		panic(err)
	}
	consent.SetKey(k)
	testdb.Main(m)
}

// Every table of the migrated schema is personal data in a registered kind,
// or declared non-personal with a reason. A new migration that adds a table
// fails here until someone decides which — so export and erasure cannot
// silently miss it.
func TestRegistryCoversEveryTable(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		var tables []string
		err := db.Read(context.Background(), func(tx *store.Tx) (err error) {
			tables, err = privacy.SchemaTables(tx)
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		if len(tables) < 20 {
			t.Fatalf("only %d tables found: %v", len(tables), tables)
		}
		reg := privacy.Default()
		if missing := reg.Unaccounted(tables); len(missing) > 0 {
			t.Fatalf("tables neither registered as personal data nor declared non-personal (internal/privacy/kinds.go): %v", missing)
		}
		// And the reverse: no kind names a table that does not exist (a typo
		// would leave the real table unaccounted for).
		have := map[string]bool{}
		for _, tb := range tables {
			have[tb] = true
		}
		for _, k := range reg.Kinds() {
			for _, tb := range k.Tables {
				if !have[tb] {
					t.Errorf("kind %s names table %s, which the schema does not have", k.Name, tb)
				}
			}
		}
	})
}

func TestRegistryRefusesAnUnusableKind(t *testing.T) {
	defer func() {
		if recover() == nil {
			t.Fatal("a contact kind without Erase was accepted")
		}
	}()
	privacy.NewRegistry().Register(privacy.Kind{Name: "x", Tables: []string{"x"}, About: privacy.AboutContacts, Description: "x"})
}

// The one-line registrations find, export and erase a contact's rows, and
// only theirs.
func TestOneLineKinds(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		var a, b crm.ID
		f.write(t, func(tx *store.Tx) error {
			for _, name := range []string{"A", "B"} {
				c, err := records.CreateContact(tx, f.p, records.NewContact{FirstName: name, Email: name + "@example.com"})
				if err != nil {
					return err
				}
				if name == "A" {
					a = c.ID
				} else {
					b = c.ID
				}
				if err := privacy.SetHold(tx, f.p, c.ID, "hold "+name); err != nil {
					return err
				}
				if _, err := tx.Exec(`INSERT INTO files (id, workspace_id, object_type, object_id, name, content_type, size, sha256, storage_key, uploaded_by, created_at)
					VALUES (?, ?, 'contact', ?, 'f', 'text/plain', 1, '', 'none', 0, 0)`, tx.NewID(), f.p.WorkspaceID, c.ID); err != nil {
					return err
				}
			}
			return nil
		})
		for _, k := range []privacy.Kind{
			privacy.ByContactColumn("legal_holds", "Holds", "contact_id", "test"),
			privacy.ByObject("files", "Files", "test"),
		} {
			f.write(t, func(tx *store.Tx) error {
				s, err := privacy.LoadSubject(tx, f.p.WorkspaceID, a)
				if err != nil {
					return err
				}
				rows, err := k.Export(tx, s)
				if err != nil || len(rows) != 1 {
					t.Errorf("%s export: %v %v", k.Name, rows, err)
				}
				if n, err := k.Erase(tx, s, &privacy.Env{}); err != nil || n != 1 {
					t.Errorf("%s erase: %d %v", k.Name, n, err)
				}
				other, _ := privacy.LoadSubject(tx, f.p.WorkspaceID, b)
				if n, err := k.Count(tx, other); err != nil || n != 1 {
					t.Errorf("%s: the other contact's row went too (%d, %v)", k.Name, n, err)
				}
				return nil
			})
		}
	})
}
