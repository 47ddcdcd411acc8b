package store_test

import (
	"context"
	"testing"
	"time"

	"github.com/tandemcrm/tandem/internal/store"
	"github.com/tandemcrm/tandem/internal/store/testdb"
)

func TestCountUpTo(t *testing.T) {
	testdb.EachWith(t, testdb.Options{CountBudget: 200 * time.Millisecond}, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		// 3,000 numbers, made in SQL both dialects understand.
		const numbers = `WITH RECURSIVE r(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM r WHERE i < 3000) SELECT 1 FROM r`
		// A scan that finds ten rows at once and then nothing for a long
		// time (a hundred million steps): the budget must stop it.
		const slow = `WITH RECURSIVE r(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM r WHERE i < 100000000) SELECT 1 FROM r WHERE i <= ? OR i = 99999999`
		cases := []struct {
			name     string
			q        string
			args     []any
			max      int
			wantN    int
			complete bool
		}{
			{"stops at max+1", numbers, nil, 1000, 1001, true},
			{"counts all below max", numbers, nil, 5000, 3000, true},
			{"filtered", numbers + ` WHERE i % 3 = ?`, []any{0}, 5000, 1000, true},
			{"out of budget", slow, []any{10}, 1000, 0, false},
		}
		err := db.Read(ctx, func(tx *store.Tx) error {
			for _, c := range cases {
				n, complete, err := tx.CountUpTo(c.q, c.args, c.max)
				if err != nil {
					t.Fatalf("%s: %v", c.name, err)
				}
				if complete != c.complete {
					t.Errorf("%s: complete = %v, want %v", c.name, complete, c.complete)
				}
				if n != c.wantN {
					t.Errorf("%s: n = %d, want %d", c.name, n, c.wantN)
				}
				// The transaction goes on after a count that was stopped.
				var one int
				if err := tx.QueryRow(`SELECT 1`).Scan(&one); err != nil || one != 1 {
					t.Fatalf("%s: the transaction is unusable after the count: %v", c.name, err)
				}
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	})
}
