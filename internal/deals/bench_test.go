package deals_test

import (
	"fmt"
	"testing"

	"github.com/tandemcrm/tandem/internal/crm"
	"github.com/tandemcrm/tandem/internal/deals"
	"github.com/tandemcrm/tandem/internal/store"
	"github.com/tandemcrm/tandem/internal/store/testdb"
)

// BenchmarkBoard2000 loads the board of a pipeline with 2,000 open deals
// (the budget: 50 ms server time for the whole page on SQLite).
//
//	go test ./internal/deals -run '^$' -bench Board2000
func BenchmarkBoard2000(b *testing.B) {
	db, f := board2000(b)
	b.ResetTimer()
	for b.Loop() {
		err := db.Read(f.ctx, func(tx *store.Tx) error {
			bd, err := deals.LoadBoard(tx, f.p, deals.BoardQuery{PerColumn: 30})
			if err == nil && bd.Columns[0].Count != 400 {
				err = fmt.Errorf("count %d", bd.Columns[0].Count)
			}
			return err
		})
		if err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkMove2000 is the board's drag: move a deal and read the
// pipeline's new totals, in one write transaction (budget: 20 ms p95).
func BenchmarkMove2000(b *testing.B) {
	db, f := board2000(b)
	var d deals.Deal
	f.read(func(tx *store.Tx) error {
		page, err := deals.ColumnPage(tx, f.p, deals.ColumnQuery{Stage: f.pl.Stages[0].ID, Limit: 1})
		d = page.Items[0]
		return err
	})
	b.ResetTimer()
	i := 0
	for b.Loop() {
		i++
		err := db.Write(f.ctx, func(tx *store.Tx) error {
			if _, err := deals.Move(tx, f.p, d.ID, f.pl.Stages[i%len(f.pl.Stages)].ID, 0); err != nil {
				return err
			}
			_, err := deals.LoadBoard(tx, f.p, deals.BoardQuery{PerColumn: -1})
			return err
		})
		if err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkBoard40000 is the board of a pipeline with 40,000 open deals,
// as the seeded L workspace's default pipeline holds: counts and sums must
// not grow with the deals (maintained totals), nor a column's first page
// (an index in the column's order).
//
//	go test ./internal/deals -run '^$' -bench Board40000
func BenchmarkBoard40000(b *testing.B) {
	db, f := boardN(b, 40000)
	for b.Loop() {
		err := db.Read(f.ctx, func(tx *store.Tx) error {
			bd, err := deals.LoadBoard(tx, f.p, deals.BoardQuery{PerColumn: 30})
			if err == nil && bd.Columns[0].Count != 8000 {
				err = fmt.Errorf("count %d", bd.Columns[0].Count)
			}
			return err
		})
		if err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkBoard40000Sorted is that board with its cards sorted as a deal
// view may ask: each column's first page must still come from an index in
// that order, not from sorting the stage's 8,000 deals.
//
//	go test ./internal/deals -run '^$' -bench Board40000Sorted
func BenchmarkBoard40000Sorted(b *testing.B) {
	db, f := boardN(b, 40000)
	for _, sort := range []string{deals.BoardSort, "-value", "expected_close", "title", "-updated_at"} {
		b.Run(sort, func(b *testing.B) {
			for b.Loop() {
				err := db.Read(f.ctx, func(tx *store.Tx) error {
					bd, err := deals.LoadBoard(tx, f.p, deals.BoardQuery{Sort: sort, PerColumn: 30})
					if err == nil && len(bd.Columns[0].Deals) != 30 {
						err = fmt.Errorf("cards %d", len(bd.Columns[0].Deals))
					}
					return err
				})
				if err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func board2000(b *testing.B) (*store.DB, *fixture) { return boardN(b, 2000) }

func boardN(b *testing.B, n int) (*store.DB, *fixture) {
	db := testdb.New(b)
	f := newFixture(b, db, crm.RoleMember)
	err := db.Write(f.ctx, func(tx *store.Tx) error {
		for i := range n {
			if _, err := deals.CreateDeal(tx, f.p, deals.NewDeal{Title: fmt.Sprintf("Deal %d", i), Value: int64(1000 + i),
				ExpectedClose: fmt.Sprintf("2027-%02d-%02d", 1+i%12, 1+i%28), StageID: f.pl.Stages[i%len(f.pl.Stages)].ID}); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		b.Fatal(err)
	}
	return db, f
}
