package deals_test

import (
	"testing"
	"time"

	"github.com/tandemcrm/tandem/internal/account"
	"github.com/tandemcrm/tandem/internal/crm"
	"github.com/tandemcrm/tandem/internal/deals"
	"github.com/tandemcrm/tandem/internal/store"
)

// TestUndo: undoing a move puts the deal back in the stage it left with
// the time it entered it (still rotting) and drops the stay the move began
// from the history, across pipelines too; undoing a decision reopens the
// deal in its stay. Only the last change, only the mover's move, only
// within the window, and never twice.
func TestUndo(t *testing.T) {
	each(t, func(t *testing.T, db *store.DB, c *clock) {
		f := newFixture(t, db, crm.RoleAdmin)
		var renewals deals.Pipeline
		var col crm.Principal
		f.write(func(tx *store.Tx) (err error) {
			renewals, err = deals.CreatePipeline(tx, f.p, "Renewals", []deals.StageInput{{Name: ptr("Due")}})
			if err != nil {
				return err
			}
			u, err := account.CreateUser(tx, account.NewUser{Email: "col@example.com", Name: "Col", Password: "a long enough phrase"})
			if err != nil {
				return err
			}
			col = crm.Principal{UserID: u.ID, WorkspaceID: f.p.WorkspaceID, Role: crm.RoleAdmin}
			return account.AddMember(tx, f.p.WorkspaceID, u.ID, crm.RoleAdmin, crm.System)
		})
		lead := f.stage("Lead in")
		d := f.deal(deals.NewDeal{Title: "Stale", StageID: lead.ID})
		entered := d.StageEnteredAt
		c.add(time.Duration(lead.RotDays+3) * 24 * time.Hour)
		if !d.Rotting(c.now()) {
			t.Fatalf("the deal should rot in %q after %d days", lead.Name, lead.RotDays+3)
		}
		undo := func(who crm.Principal, version int64) (deals.Deal, error) {
			var got deals.Deal
			var err error
			db.Write(f.ctx, func(tx *store.Tx) error { got, err = deals.Undo(tx, who, d.ID, version); return err })
			return got, err
		}
		conflict := func(step string, version int64) {
			t.Helper()
			if _, err := undo(f.p, version); crm.ErrorCode(err) != crm.Conflict {
				t.Fatalf("%s: undo gave %v, want a conflict", step, err)
			}
		}
		check := func(step string, stage crm.ID, status string, visits int) {
			t.Helper()
			f.read(func(tx *store.Tx) error {
				diff, err := deals.CheckStageTotals(tx, f.p.WorkspaceID)
				if err == nil && diff != "" {
					t.Fatalf("after %s: totals drifted: %s", step, diff)
				}
				return err
			})
			h := f.history(d.ID)
			if d.StageID != stage || d.Status != status || !d.StageEnteredAt.Equal(entered) || len(h) != visits ||
				!h[len(h)-1].LeftAt.IsZero() || !h[len(h)-1].EnteredAt.Equal(entered) || (status == deals.Open) != d.ClosedAt.IsZero() {
				t.Fatalf("after %s: %+v, history %+v", step, d, h)
			}
		}

		// A move across pipelines, undone.
		f.write(func(tx *store.Tx) (err error) {
			d, err = deals.Move(tx, f.p, d.ID, renewals.Stages[0].ID, d.Version)
			return err
		})
		moved := d.Version
		conflict("a stale version", moved-1)
		var err error
		if d, err = undo(f.p, moved); err != nil {
			t.Fatal(err)
		}
		check("undoing a move", lead.ID, deals.Open, 1)
		if d.PipelineID != f.pl.ID || !d.Rotting(c.now()) {
			t.Fatalf("after undoing a move: pipeline %d, rotting %v", d.PipelineID, d.Rotting(c.now()))
		}
		evs := f.events(d.ID)
		if ch := evs[len(evs)-1].Changes; ch["stage_id"].After != lead.ID.String() || ch["pipeline_id"].After != f.pl.ID.String() {
			t.Fatalf("undo event: %+v", ch)
		}
		conflict("undoing twice", d.Version)

		// Someone else's move is theirs to undo; a move too long ago stays.
		f.write(func(tx *store.Tx) (err error) {
			d, err = deals.Move(tx, col, d.ID, f.stage("Proposal").ID, d.Version)
			return err
		})
		conflict("another's move", d.Version)
		if d, err = undo(col, d.Version); err != nil {
			t.Fatal(err)
		}
		check("undoing another's move as them", lead.ID, deals.Open, 1)
		f.write(func(tx *store.Tx) (err error) {
			d, err = deals.Move(tx, f.p, d.ID, f.stage("Proposal").ID, d.Version)
			return err
		})
		c.add(deals.UndoWindow + time.Second)
		conflict("a move past the window", d.Version)
		f.write(func(tx *store.Tx) (err error) { d, err = deals.Move(tx, f.p, d.ID, lead.ID, d.Version); return err })
		entered = d.StageEnteredAt

		// Decisions: won, then lost with a reason, each undone.
		c.add(time.Hour)
		f.write(func(tx *store.Tx) (err error) { d, err = deals.Win(tx, f.p, d.ID, d.Version); return err })
		if d, err = undo(f.p, d.Version); err != nil {
			t.Fatal(err)
		}
		check("undoing a win", lead.ID, deals.Open, 3)
		f.write(func(tx *store.Tx) (err error) { d, err = deals.Lose(tx, f.p, d.ID, "No budget", d.Version); return err })
		if d, err = undo(f.p, d.Version); err != nil {
			t.Fatal(err)
		}
		check("undoing a loss", lead.ID, deals.Open, 3)
		if d.LostReason != "" {
			t.Fatalf("undoing a loss kept its reason %q", d.LostReason)
		}
		// A decision followed by an edit is not undone.
		f.write(func(tx *store.Tx) (err error) { d, err = deals.Win(tx, f.p, d.ID, d.Version); return err })
		c.add(time.Second)
		f.write(func(tx *store.Tx) (err error) {
			d, err = deals.UpdateDeal(tx, f.p, d.ID, deals.DealPatch{Title: ptr("Renamed")}, d.Version)
			return err
		})
		conflict("a decision then an edit", d.Version)
		if _, err := undo(f.p, 0); crm.ErrorFields(err)["version"] == "" {
			t.Fatalf("undo without a version: %v", err)
		}
	})
}
