package records

import (
	"context"
	"strings"
	"testing"

	"github.com/tandemcrm/tandem/internal/store"
	"github.com/tandemcrm/tandem/internal/store/testdb"
)

// TestPickPrefixSeeksTheIndex: the picker's name-prefix query is a range
// of companies_name_prefix on SQLite, for a prefix bound as an argument
// (SQLite plans the statement again with the value), not a walk of every
// company's name; nothing typed walks the newest companies.
func TestPickPrefixSeeksTheIndex(t *testing.T) {
	db := testdb.New(t)
	err := db.Read(context.Background(), func(tx *store.Tx) error {
		if p := testdb.Plan(t, tx, pickSQL(store.SQLite, true, ""), 1, "ab%", 12); !strings.Contains(p, "companies_name_prefix (workspace_id=? AND name>? AND name<?)") {
			t.Errorf("prefix: %s", p)
		}
		if p := testdb.Plan(t, tx, pickSQL(store.SQLite, false, ""), 1, 12); !strings.Contains(p, "companies_recent") || strings.Contains(p, "TEMP B-TREE") {
			t.Errorf("newest: %s", p)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}
