package deals_test

import (
	"testing"

	"github.com/tandemcrm/tandem/internal/crm"
	"github.com/tandemcrm/tandem/internal/deals"
	"github.com/tandemcrm/tandem/internal/store"
)

// TestPipelineAndStageVersions: pipelines and stages start at version 1
// and count every change (a pipeline's also its stages'); a stale
// ifVersion is a conflict that changes nothing; 0 checks nothing.
func TestPipelineAndStageVersions(t *testing.T) {
	each(t, func(t *testing.T, db *store.DB, c *clock) {
		f := newFixture(t, db, crm.RoleAdmin)
		pl := func() deals.Pipeline {
			var out deals.Pipeline
			f.read(func(tx *store.Tx) (err error) { out, err = deals.GetPipeline(tx, f.p.WorkspaceID, f.pl.ID); return err })
			return out
		}
		try := func(fn func(tx *store.Tx) error) error { return db.Write(f.ctx, fn) }
		if f.pl.Version != 1 || f.pl.Stages[0].Version != 1 {
			t.Fatalf("new workspace's pipeline: version %d, first stage %d", f.pl.Version, f.pl.Stages[0].Version)
		}
		name := "New business"
		if err := try(func(tx *store.Tx) error {
			_, err := deals.UpdatePipelineIf(tx, f.p, f.pl.ID, deals.PipelinePatch{Name: &name}, 1)
			return err
		}); err != nil || pl().Version != 2 {
			t.Fatalf("rename at version 1: %v, now %d", err, pl().Version)
		}
		stale := "Stale"
		err := try(func(tx *store.Tx) error {
			_, err := deals.UpdatePipelineIf(tx, f.p, f.pl.ID, deals.PipelinePatch{Name: &stale}, 1)
			return err
		})
		if crm.ErrorCode(err) != crm.Conflict || pl().Name != name {
			t.Fatalf("stale pipeline version: %v, name %q", err, pl().Name)
		}

		first := f.pl.Stages[0]
		prob := 15
		var s deals.Stage
		if err := try(func(tx *store.Tx) (err error) {
			s, err = deals.UpdateStageIf(tx, f.p, first.ID, deals.StageInput{Probability: &prob, Position: ptr(4)}, 1)
			return err
		}); err != nil || s.Version != 2 || s.Position != 4 {
			t.Fatalf("stage change and move at version 1: %+v %v", s, err)
		}
		after := pl()
		if after.Version != 3 || after.Stages[0].Version != 2 || after.Stages[3].Version != 2 {
			t.Fatalf("after the stage moved last: pipeline %d, stages %+v", after.Version, after.Stages)
		}
		err = try(func(tx *store.Tx) error {
			_, err := deals.UpdateStageIf(tx, f.p, first.ID, deals.StageInput{Name: ptr("Stale")}, 1)
			return err
		})
		if crm.ErrorCode(err) != crm.Conflict {
			t.Fatalf("stale stage version: %v", err)
		}
		// Reordering over the pipeline: moved stages and the pipeline count it.
		order := []crm.ID{after.Stages[4].ID, after.Stages[0].ID, after.Stages[1].ID, after.Stages[2].ID, after.Stages[3].ID}
		if err := try(func(tx *store.Tx) error {
			_, err := deals.UpdatePipelineIf(tx, f.p, f.pl.ID, deals.PipelinePatch{StageOrder: order}, after.Version)
			return err
		}); err != nil {
			t.Fatal(err)
		}
		re := pl()
		if re.Version != after.Version+1 || re.Stages[0].ID != first.ID || re.Stages[0].Version != 3 || re.Stages[1].Version != 3 {
			t.Fatalf("after stage_order: pipeline %d, stages %+v", re.Version, re.Stages)
		}
		// A new stage starts at 1 wherever it goes; its pipeline counts it.
		if err := try(func(tx *store.Tx) (err error) {
			s, err = deals.CreateStage(tx, f.p, f.pl.ID, deals.StageInput{Name: ptr("Triage"), Position: ptr(0)})
			return err
		}); err != nil || s.Version != 1 || s.Position != 0 || pl().Version != re.Version+1 {
			t.Fatalf("new stage: %+v %v, pipeline %d", s, err, pl().Version)
		}
	})
}

// TestLostReasonVersions: a lost reason counts its changes; moving one
// changes the version of each it passes.
func TestLostReasonVersions(t *testing.T) {
	each(t, func(t *testing.T, db *store.DB, c *clock) {
		f := newFixture(t, db, crm.RoleAdmin)
		list := func() []deals.LostReason {
			var rs []deals.LostReason
			f.read(func(tx *store.Tx) (err error) { rs, err = deals.ListLostReasons(tx, f.p.WorkspaceID); return err })
			return rs
		}
		rs := list()
		last := rs[len(rs)-1]
		if last.Version != 1 {
			t.Fatalf("starting reason: %+v", last)
		}
		var r deals.LostReason
		f.write(func(tx *store.Tx) (err error) {
			r, err = deals.UpdateLostReasonIf(tx, f.p, last.ID, ptr("Ghosted"), ptr(0), 1)
			return err
		})
		if r.Version != 2 || r.Position != 0 {
			t.Fatalf("renamed and moved: %+v", r)
		}
		if now := list(); now[0].ID != last.ID || now[1].ID != rs[0].ID || now[1].Version != 2 {
			t.Fatalf("after the move: %+v", now)
		}
		err := db.Write(f.ctx, func(tx *store.Tx) error {
			_, err := deals.UpdateLostReasonIf(tx, f.p, last.ID, ptr("Stale"), nil, 1)
			return err
		})
		if crm.ErrorCode(err) != crm.Conflict || list()[0].Name != "Ghosted" {
			t.Fatalf("stale reason version: %v", err)
		}
	})
}
