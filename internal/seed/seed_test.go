package seed_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/tandemcrm/tandem/internal/crm"
	"github.com/tandemcrm/tandem/internal/seed"
	"github.com/tandemcrm/tandem/internal/store"
	"github.com/tandemcrm/tandem/internal/store/testdb"
)

func TestMain(m *testing.M) { testdb.Main(m) }

var anchor = time.Date(2026, 3, 14, 9, 26, 53, 0, time.UTC)

// small exercises every path quickly: partial batches (37 rows per INSERT)
// and several transactions (150 rows each).
func small(seedN uint64) seed.Options {
	return seed.Options{Seed: seedN, WorkspaceName: "T", Users: 3, Companies: 20, Contacts: 200, Deals: 90,
		Activities: 300, Now: anchor, Password: "correct horse battery", Batch: 37, TxRows: 150}
}

// dialects yields a constructor of fresh databases per dialect, all on the
// same fixed clock so that ids and transaction times repeat too.
func dialects(t *testing.T, fn func(t *testing.T, fresh func() *store.DB)) {
	clock := func() time.Time { return anchor }
	t.Run("sqlite", func(t *testing.T) {
		fn(t, func() *store.DB { return testdb.NewSQLite(t, testdb.Options{Clock: clock}) })
	})
	t.Run("postgres", func(t *testing.T) {
		fn(t, func() *store.DB { return testdb.NewPostgres(t, testdb.Options{Clock: clock}) })
	})
}

func TestSameSeedSameData(t *testing.T) {
	dialects(t, func(t *testing.T, fresh func() *store.DB) {
		ctx := context.Background()
		var dumps []string
		for range 2 {
			db := fresh()
			res, err := seed.Generate(ctx, db, small(7))
			if err != nil {
				t.Fatal(err)
			}
			dumps = append(dumps, dump(t, db, res.WorkspaceID))
		}
		if dumps[0] != dumps[1] {
			t.Fatalf("two runs with seed 7 differ:\n%s", firstDiff(dumps[0], dumps[1]))
		}
		db := fresh()
		res, err := seed.Generate(ctx, db, small(8))
		if err != nil {
			t.Fatal(err)
		}
		if dump(t, db, res.WorkspaceID) == dumps[0] {
			t.Fatal("seed 8 produced the same data as seed 7")
		}
	})
}

// dump renders every row the seed wrote, in id order, except password
// hashes (salted, so never equal).
func dump(t *testing.T, db *store.DB, ws crm.ID) string {
	t.Helper()
	queries := []string{
		`SELECT id, name, created_at FROM workspaces WHERE id = ?`,
		`SELECT u.id, u.email, u.name, u.created_at, m.role FROM users u JOIN memberships m ON m.user_id = u.id WHERE m.workspace_id = ? ORDER BY u.id`,
		`SELECT id, pipeline_id, name, position, probability FROM stages WHERE workspace_id = ? ORDER BY id`,
		`SELECT id, name, domain, industry, size, owner_id, created_by, created_at, updated_at FROM companies WHERE workspace_id = ? ORDER BY id`,
		`SELECT id, first_name, last_name, email, phone, title, company_id, owner_id, lifecycle, source, created_at FROM contacts WHERE workspace_id = ? ORDER BY id`,
		`SELECT id, title, value, currency, pipeline_id, stage_id, status, lost_reason, expected_close, owner_id, contact_id, company_id, stage_entered_at, closed_at, created_at, updated_at FROM deals WHERE workspace_id = ? ORDER BY id`,
		`SELECT id, type, title, due_at, duration_min, done_at, outcome, owner_id, contact_id, company_id, deal_id, created_at FROM activities WHERE workspace_id = ? ORDER BY id`,
		`SELECT id, at, actor_type, object_type, object_id, action, changes FROM events WHERE workspace_id = ? ORDER BY id`,
	}
	var b strings.Builder
	err := db.Read(context.Background(), func(tx *store.Tx) error {
		for _, q := range queries {
			n := strings.Count(strings.SplitN(q, "FROM", 2)[0], ",") + 1
			rows, err := tx.Query(q, ws)
			if err != nil {
				return fmt.Errorf("%s: %w", q, err)
			}
			for rows.Next() {
				vals := make([]any, n)
				ptrs := make([]any, n)
				for i := range vals {
					ptrs[i] = &vals[i]
				}
				if err := rows.Scan(ptrs...); err != nil {
					rows.Close()
					return err
				}
				fmt.Fprintln(&b, vals...)
			}
			rows.Close()
			if err := rows.Err(); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return b.String()
}

func firstDiff(a, b string) string {
	la, lb := strings.Split(a, "\n"), strings.Split(b, "\n")
	for i := range min(len(la), len(lb)) {
		if la[i] != lb[i] {
			return fmt.Sprintf("line %d:\n  %s\n  %s", i+1, la[i], lb[i])
		}
	}
	return fmt.Sprintf("lengths %d and %d", len(la), len(lb))
}

func TestDataIsConsistent(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		o := small(1)
		res, err := seed.Generate(ctx, db, o)
		if err != nil {
			t.Fatal(err)
		}
		if res.OwnerEmail != "demo@tandem.local" || res.Companies != 20 || res.Contacts != 200 || res.Deals != 90 || res.Users != 3 {
			t.Fatalf("result: %+v", res)
		}
		checks := map[string]string{
			"rows":                   `SELECT (SELECT count(*) FROM companies WHERE workspace_id = ?1) + (SELECT count(*) FROM contacts WHERE workspace_id = ?1) + (SELECT count(*) FROM deals WHERE workspace_id = ?1) + (SELECT count(*) FROM activities WHERE workspace_id = ?1) - 610`,
			"duplicate emails":       `SELECT count(*) - count(DISTINCT email) FROM contacts WHERE workspace_id = ?`,
			"deals without contact":  `SELECT count(*) FROM deals d WHERE d.workspace_id = ? AND NOT EXISTS (SELECT 1 FROM contacts c WHERE c.id = d.contact_id AND c.workspace_id = d.workspace_id)`,
			"deals on unknown stage": `SELECT count(*) FROM deals d WHERE d.workspace_id = ? AND NOT EXISTS (SELECT 1 FROM stages s WHERE s.id = d.stage_id AND s.workspace_id = d.workspace_id)`,
			"closed without date":    `SELECT count(*) FROM deals WHERE workspace_id = ? AND (status = 'open') = (closed_at IS NOT NULL)`,
			"lost without reason":    `SELECT count(*) FROM deals WHERE workspace_id = ? AND (status = 'lost') = (lost_reason = '')`,
			"owners outside team":    `SELECT count(*) FROM contacts c WHERE c.workspace_id = ? AND NOT EXISTS (SELECT 1 FROM memberships m WHERE m.user_id = c.owner_id AND m.workspace_id = c.workspace_id)`,
			"future done":            `SELECT count(*) FROM activities WHERE workspace_id = ? AND done_at > ` + fmt.Sprint(store.Micros(anchor)),
			"activity without link":  `SELECT count(*) FROM activities WHERE workspace_id = ? AND contact_id = 0 AND deal_id = 0`,
			"company without city":   `SELECT count(*) FROM companies WHERE workspace_id = ? AND (city = '' OR country = '')`,
			"half an address":        `SELECT count(*) FROM contacts WHERE workspace_id = ? AND ((city = '') <> (country = '') OR (city = '') <> (time_zone = ''))`,
			"few addresses":          `SELECT CASE WHEN count(*) BETWEEN 120 AND 180 THEN 0 ELSE count(*) END FROM contacts WHERE workspace_id = ? AND city <> ''`,
		}
		err = db.Read(ctx, func(tx *store.Tx) error {
			for name, q := range checks {
				if strings.Contains(q, "?1") {
					q = strings.ReplaceAll(q, "?1", "?")
				}
				args := make([]any, strings.Count(q, "?"))
				for i := range args {
					args[i] = res.WorkspaceID
				}
				var n int
				if err := tx.QueryRow(q, args...).Scan(&n); err != nil {
					return fmt.Errorf("%s: %w", name, err)
				}
				if n != 0 {
					t.Errorf("%s: %d", name, n)
				}
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	})
}

func TestSecondWorkspaceNeedsForce(t *testing.T) {
	db := testdb.New(t)
	ctx := context.Background()
	o := small(1)
	o.Companies, o.Contacts, o.Deals, o.Activities = 2, 5, 2, 3
	if _, err := seed.Generate(ctx, db, o); err != nil {
		t.Fatal(err)
	}
	if _, err := seed.Generate(ctx, db, o); !errors.Is(err, seed.ErrExists) {
		t.Fatalf("second without force: %v", err)
	}
	o.Force = true
	res, err := seed.Generate(ctx, db, o)
	if err != nil || res.OwnerEmail != "demo2@tandem.local" {
		t.Fatalf("second with force: %+v %v", res, err)
	}
}

func TestSizes(t *testing.T) {
	for _, name := range []string{"demo", "S", "m", "L"} {
		o, err := seed.Size(name)
		if err != nil || o.Contacts == 0 || o.Activities < o.Contacts {
			t.Errorf("%s: %+v %v", name, o, err)
		}
	}
	if l, _ := seed.Size("L"); l.Contacts != 1_000_000 || l.Companies != 100_000 || l.Deals != 200_000 || l.Activities != 2_000_000 {
		t.Errorf("L: %+v", l)
	}
	if _, err := seed.Size("XL"); err == nil {
		t.Error("XL accepted")
	}
}
