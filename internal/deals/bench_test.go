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
	db := testdb.New(b)
	f := newFixture(b, db, crm.RoleMember)
	err := db.Write(f.ctx, func(tx *store.Tx) error {
		for i := range 2000 {
			if _, err := deals.CreateDeal(tx, f.p, deals.NewDeal{Title: fmt.Sprintf("Deal %d", i), Value: int64(1000 + i),
				StageID: f.pl.Stages[i%len(f.pl.Stages)].ID}); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		b.Fatal(err)
	}
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
