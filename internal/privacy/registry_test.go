package privacy_test

import (
	"context"
	"strings"
	"testing"

	"github.com/tandemcrm/tandem/internal/consent"
	"github.com/tandemcrm/tandem/internal/privacy"
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
