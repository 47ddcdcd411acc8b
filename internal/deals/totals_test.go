package deals_test

import (
	"fmt"
	"math/rand/v2"
	"reflect"
	"testing"
	"time"

	"github.com/tandemcrm/tandem/internal/crm"
	"github.com/tandemcrm/tandem/internal/deals"
	"github.com/tandemcrm/tandem/internal/store"
)

// TestStageTotalsFollowEveryWrite runs random creates, edits (value,
// currency, stage), moves across pipelines, wins, losses, reopens, trashes,
// a stage deletion and a rolled-back write, and after each step compares
// the maintained per-stage totals with a fresh aggregate; then checks the
// board reads the same counts and sums as a filtered board that must
// aggregate.
func TestStageTotalsFollowEveryWrite(t *testing.T) {
	each(t, func(t *testing.T, db *store.DB, _ *clock) {
		f := newFixture(t, db, crm.RoleAdmin)
		var second deals.Pipeline
		f.write(func(tx *store.Tx) (err error) {
			second, err = deals.CreatePipeline(tx, f.p, "Renewals", []deals.StageInput{
				{Name: ptr("Due")}, {Name: ptr("Talking")}, {Name: ptr("Signed")}})
			return err
		})
		stages := append(append([]deals.Stage(nil), f.pl.Stages...), second.Stages...)
		currencies := []string{"USD", "EUR", "JPY"}
		r := rand.New(rand.NewPCG(6, 28))
		var ids []crm.ID
		check := func(step string) {
			t.Helper()
			f.read(func(tx *store.Tx) error {
				diff, err := deals.CheckStageTotals(tx, f.p.WorkspaceID)
				if err == nil && diff != "" {
					t.Fatalf("after %s: totals drifted: %s", step, diff)
				}
				return err
			})
		}
		for i := 0; i < 150; i++ {
			op := r.IntN(8)
			if len(ids) < 5 {
				op = 0
			}
			id := crm.ID(0)
			if len(ids) > 0 {
				id = ids[r.IntN(len(ids))]
			}
			st := stages[r.IntN(len(stages))]
			var step string
			err := db.Write(f.ctx, func(tx *store.Tx) error {
				switch op {
				case 0:
					step = "create"
					d, err := deals.CreateDeal(tx, f.p, deals.NewDeal{Title: fmt.Sprintf("D%d", i), Value: r.Int64N(100000),
						Currency: currencies[r.IntN(3)], PipelineID: st.PipelineID, StageID: st.ID})
					ids = append(ids, d.ID)
					return err
				case 1:
					step = "edit value and currency"
					v, c := r.Int64N(100000), currencies[r.IntN(3)]
					_, err := deals.UpdateDeal(tx, f.p, id, deals.DealPatch{Value: &v, Currency: &c}, 0)
					return err
				case 2:
					step = "edit stage"
					_, err := deals.UpdateDeal(tx, f.p, id, deals.DealPatch{StageID: &st.ID}, 0)
					return err
				case 3:
					step = "move"
					_, err := deals.Move(tx, f.p, id, st.ID, 0)
					return err
				case 4:
					step = "win"
					_, err := deals.Win(tx, f.p, id, 0)
					return err
				case 5:
					step = "lose"
					_, err := deals.Lose(tx, f.p, id, "Price", 0)
					return err
				case 6:
					step = "reopen"
					_, err := deals.Reopen(tx, f.p, id, 0)
					return err
				default:
					step = "trash"
					return deals.DeleteDeal(tx, f.p, id)
				}
			})
			// Refused steps (moving a closed deal, reopening an open one,
			// touching a trashed one) must leave the totals as they were.
			if err != nil && crm.ErrorCode(err) == "" {
				t.Fatalf("%s: %v", step, err)
			}
			check(step)
		}
		// A write that fails after changing deals rolls the totals back too.
		boom := fmt.Errorf("boom")
		err := db.Write(f.ctx, func(tx *store.Tx) error {
			if _, err := deals.CreateDeal(tx, f.p, deals.NewDeal{Title: "Gone", Value: 5, StageID: stages[0].ID}); err != nil {
				return err
			}
			return boom
		})
		if err != boom {
			t.Fatal(err)
		}
		check("rollback")
		// Deleting a stage moves its deals (bulk, inside the deals package).
		f.write(func(tx *store.Tx) error { return deals.DeleteStage(tx, f.p, second.Stages[0].ID, second.Stages[1].ID) })
		check("delete stage")

		// The board's totals (maintained) equal a filtered board's (summed)
		// when the filter matches every open deal.
		var plain, filtered deals.Board
		f.read(func(tx *store.Tx) (err error) {
			if plain, err = deals.LoadBoard(tx, f.p, deals.BoardQuery{PipelineID: f.pl.ID, PerColumn: -1}); err != nil {
				return err
			}
			filtered, err = deals.LoadBoard(tx, f.p, deals.BoardQuery{PipelineID: f.pl.ID, PerColumn: -1, Filter: "value >= 0"})
			return err
		})
		open := 0
		for i, c := range plain.Columns {
			fc := filtered.Columns[i]
			if c.Count != fc.Count || fmt.Sprint(c.Sums) != fmt.Sprint(fc.Sums) || fmt.Sprint(c.Weighted) != fmt.Sprint(fc.Weighted) {
				t.Fatalf("stage %s: maintained %d %v, summed %d %v", c.Stage.Name, c.Count, c.Sums, fc.Count, fc.Sums)
			}
			open += c.Count
		}
		if open == 0 {
			t.Fatal("no open deals left on the board: the test proves nothing")
		}
	})
}

// TestMoveAnswersTheStoredDeal: Move builds its answer without reading the
// deal back; it must equal what a fresh read gives, for moves within and
// across pipelines, of open and closed deals, and a move to the same stage.
func TestMoveAnswersTheStoredDeal(t *testing.T) {
	each(t, func(t *testing.T, db *store.DB, c *clock) {
		f := newFixture(t, db, crm.RoleAdmin)
		var other deals.Pipeline
		var d deals.Deal
		f.write(func(tx *store.Tx) (err error) {
			if other, err = deals.CreatePipeline(tx, f.p, "Renewals", []deals.StageInput{{Name: ptr("Due"), RotDays: ptr(3)}}); err != nil {
				return err
			}
			d, err = deals.CreateDeal(tx, f.p, deals.NewDeal{Title: "Moving", Value: 500, Tags: []string{"q4"},
				Custom: map[string]any{}})
			return err
		})
		targets := []deals.Stage{f.pl.Stages[2], f.pl.Stages[2], other.Stages[0], f.pl.Stages[1]}
		for i, to := range targets {
			c.add(time.Hour)
			if i == 3 {
				f.write(func(tx *store.Tx) error { _, err := deals.Win(tx, f.p, d.ID, 0); return err })
			}
			var got, stored deals.Deal
			f.write(func(tx *store.Tx) (err error) { got, err = deals.Move(tx, f.p, d.ID, to.ID, 0); return err })
			f.read(func(tx *store.Tx) (err error) {
				stored, err = deals.GetDeal(tx, f.p.WorkspaceID, d.ID, false)
				return err
			})
			if !reflect.DeepEqual(got, stored) {
				t.Fatalf("move %d to %s answered\n%+v\nstored\n%+v", i, to.Name, got, stored)
			}
		}
	})
}
