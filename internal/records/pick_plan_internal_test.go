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

// TestPickPrefixSeeksTheIndexOnPostgres: PostgreSQL reads the picker's
// prefix as a range of companies_name_prefix; sequential scans are turned
// off so that an empty table's plan still shows whether the index can
// serve it. (At 100,000 companies the range comes presorted: an
// incremental sort of the first matches, 0.1 ms.)
func TestPickPrefixSeeksTheIndexOnPostgres(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		if db.Dialect() != store.Postgres {
			return
		}
		err := db.Write(context.Background(), func(tx *store.Tx) error {
			if _, err := tx.Exec(`SET LOCAL enable_seqscan = off`); err != nil {
				return err
			}
			rows, err := tx.Query(`EXPLAIN `+pickSQL(store.Postgres, true, ""), 1, "ab%", 12)
			if err != nil {
				return err
			}
			defer rows.Close()
			var lines []string
			for rows.Next() {
				var line string
				if err := rows.Scan(&line); err != nil {
					return err
				}
				lines = append(lines, strings.TrimSpace(line))
			}
			if err := rows.Err(); err != nil {
				return err
			}
			p := strings.Join(lines, "\n")
			if !strings.Contains(p, "companies_name_prefix") || !strings.Contains(p, `>= 'ab'::text`) {
				t.Errorf("prefix: %s", p)
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	})
}
