package store_test

import (
	"context"
	"strings"
	"testing"

	"github.com/tandemcrm/tandem/internal/store"
	"github.com/tandemcrm/tandem/internal/store/testdb"
)

// TestCompanyPeopleByName: a company's people sorted by name (the record
// page's panel) are read from the index that holds both, never by walking
// the workspace's whole name index; and Optimize leaves statistics behind.
func TestCompanyPeopleByName(t *testing.T) {
	db := testdb.New(t)
	ctx := context.Background()
	ws := db.NewID()
	if err := db.Write(ctx, func(tx *store.Tx) error {
		for i := range 3000 {
			if _, err := tx.Exec(`INSERT INTO contacts (id, workspace_id, first_name, last_name, company_id, created_at, updated_at)
				VALUES (?, ?, 'P', ?, ?, 0, 0)`, tx.NewID(), ws, string(rune('A'+i%26)), i%300); err != nil {
				return err
			}
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	if err := db.Optimize(ctx); err != nil {
		t.Fatal(err)
	}
	var plan []string
	var stats int
	if err := db.Read(ctx, func(tx *store.Tx) error {
		if err := tx.Unscoped().QueryRow(`SELECT count(*) FROM sqlite_stat1 WHERE tbl = 'contacts'`).Scan(&stats); err != nil {
			return err
		}
		rows, err := tx.Query(`EXPLAIN QUERY PLAN SELECT c.id FROM contacts c WHERE c.workspace_id = ? AND c.deleted_at IS NULL
			AND c.company_id = ? ORDER BY c.last_name ASC, c.first_name ASC, c.id ASC LIMIT 21`, ws, 7)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var a, b, c int
			var d string
			if err := rows.Scan(&a, &b, &c, &d); err != nil {
				return err
			}
			plan = append(plan, d)
		}
		return rows.Err()
	}); err != nil {
		t.Fatal(err)
	}
	if p := strings.Join(plan, "; "); !strings.Contains(p, "contacts_company_name") || strings.Contains(p, "TEMP B-TREE") {
		t.Fatalf("plan %q: want the company-and-name index and no sort", p)
	}
	if stats == 0 {
		t.Fatal("Optimize left no statistics for contacts")
	}
}

// TestAnalyzeRunsOnBothDialects: the full refresh after bulk loads.
func TestAnalyzeRunsOnBothDialects(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		if err := db.Analyze(context.Background()); err != nil {
			t.Fatal(err)
		}
		if err := db.Optimize(context.Background()); err != nil {
			t.Fatal(err)
		}
	})
}

// TestRecentlyChangedWalksAnIndex: a list sorted by "last changed" reads
// its page from an index, without sorting the workspace.
func TestRecentlyChangedWalksAnIndex(t *testing.T) {
	db := testdb.New(t)
	var plan []string
	if err := db.Read(context.Background(), func(tx *store.Tx) error {
		rows, err := tx.Query(`EXPLAIN QUERY PLAN SELECT c.id FROM contacts c WHERE c.workspace_id = ? AND c.deleted_at IS NULL
			ORDER BY c.updated_at DESC, c.id DESC LIMIT 51`, 1)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var a, b, c int
			var d string
			if err := rows.Scan(&a, &b, &c, &d); err != nil {
				return err
			}
			plan = append(plan, d)
		}
		return rows.Err()
	}); err != nil {
		t.Fatal(err)
	}
	if p := strings.Join(plan, "; "); !strings.Contains(p, "contacts_updated_id") || strings.Contains(p, "TEMP B-TREE") {
		t.Fatalf("plan %q: want the updated_at index and no sort", p)
	}
}
