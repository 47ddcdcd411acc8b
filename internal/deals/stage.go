package deals

import (
	"fmt"

	"github.com/tandemcrm/tandem/internal/account"
	"github.com/tandemcrm/tandem/internal/crm"
	"github.com/tandemcrm/tandem/internal/store"
)

// CreateStage adds a stage to a pipeline, at in.Position or at the end.
// Admins only.
func CreateStage(tx *store.Tx, p crm.Principal, pipeline crm.ID, in StageInput) (Stage, error) {
	if err := account.Can(tx, p, account.ActAdmin, 0); err != nil {
		return Stage{}, err
	}
	if err := lockList(tx, "pipelines", p.WorkspaceID); err != nil {
		return Stage{}, err
	}
	pl, err := GetPipeline(tx, p.WorkspaceID, pipeline)
	if err != nil {
		return Stage{}, err
	}
	fe := crm.FieldErrors{}
	s := Stage{ID: tx.NewID(), PipelineID: pipeline, Position: len(pl.Stages), Version: 1}
	applyStage(fe, "", &s, in, true)
	if len(pl.Stages) >= 30 {
		fe.Add("name", "A pipeline has at most 30 stages.")
	}
	if err := fe.Err(); err != nil {
		return s, err
	}
	if in.Position != nil {
		// Make room first: the new stage is written at its place, version 1.
		s.Position = max(0, min(*in.Position, len(pl.Stages)))
		if err := placeStage(tx, p.WorkspaceID, pl, s.ID, s.Position); err != nil {
			return s, err
		}
	}
	if err := insertStage(tx, p.WorkspaceID, s); err != nil {
		return s, err
	}
	if err := touchPipeline(tx, p.WorkspaceID, pipeline); err != nil {
		return s, err
	}
	return s, tx.Emit(crm.Event{WorkspaceID: p.WorkspaceID, Actor: p.Actor(), ObjectType: "stage", ObjectID: s.ID,
		Action: crm.Created, Changes: map[string]crm.Change{"name": {After: s.Name}, "pipeline_id": {After: pipeline},
			"probability": {After: s.Probability}, "rot_days": {After: s.RotDays}}})
}

// placeStage puts stage id at pos among the pipeline's stages (pl.Stages
// may or may not contain it yet) and renumbers them.
func placeStage(tx *store.Tx, ws crm.ID, pl Pipeline, id crm.ID, pos int) error {
	var ids []crm.ID
	for _, s := range pl.Stages {
		if s.ID != id {
			ids = append(ids, s.ID)
		}
	}
	pos = max(0, min(pos, len(ids)))
	ids = append(ids[:pos], append([]crm.ID{id}, ids[pos:]...)...)
	return renumberStages(tx, ws, ids)
}

// UpdateStage is UpdateStageIf without a version to check (the settings
// page sends none).
func UpdateStage(tx *store.Tx, p crm.Principal, id crm.ID, in StageInput) (Stage, error) {
	return UpdateStageIf(tx, p, id, in, 0)
}

// UpdateStageIf renames a stage, changes its probability or rotting days,
// or moves it within its pipeline. When ifVersion is not 0 it must equal
// the stage's version, else conflict. Admins only.
func UpdateStageIf(tx *store.Tx, p crm.Principal, id crm.ID, in StageInput, ifVersion int64) (Stage, error) {
	if err := account.Can(tx, p, account.ActAdmin, 0); err != nil {
		return Stage{}, err
	}
	if err := lockList(tx, "pipelines", p.WorkspaceID); err != nil {
		return Stage{}, err
	}
	old, err := GetStage(tx, p.WorkspaceID, id)
	if err != nil {
		return old, err
	}
	if err := checkVersion("stage", old.Version, ifVersion); err != nil {
		return old, err
	}
	s := old
	fe := crm.FieldErrors{}
	applyStage(fe, "", &s, in, false)
	if err := fe.Err(); err != nil {
		return old, err
	}
	ch := map[string]crm.Change{}
	if s.Name != old.Name {
		ch["name"] = crm.Change{Before: old.Name, After: s.Name}
	}
	if s.Probability != old.Probability {
		ch["probability"] = crm.Change{Before: old.Probability, After: s.Probability}
	}
	if s.RotDays != old.RotDays {
		ch["rot_days"] = crm.Change{Before: old.RotDays, After: s.RotDays}
	}
	if in.Position != nil && *in.Position != old.Position {
		pl, err := GetPipeline(tx, p.WorkspaceID, old.PipelineID)
		if err != nil {
			return old, err
		}
		if err := placeStage(tx, p.WorkspaceID, pl, id, *in.Position); err != nil {
			return old, err
		}
		ch["position"] = crm.Change{Before: old.Position, After: *in.Position}
	}
	if len(ch) == 0 {
		return old, nil
	}
	if _, err := tx.Exec(`UPDATE stages SET name = ?, probability = ?, rot_days = ?, updated_at = ?, version = ?
		WHERE workspace_id = ? AND id = ?`, s.Name, s.Probability, s.RotDays, store.Micros(tx.Now), old.Version+1, p.WorkspaceID, id); err != nil {
		return old, fmt.Errorf("deals: update stage: %w", err)
	}
	if err := touchPipeline(tx, p.WorkspaceID, old.PipelineID); err != nil {
		return old, err
	}
	if s, err = GetStage(tx, p.WorkspaceID, id); err != nil {
		return s, err
	}
	return s, tx.Emit(crm.Event{WorkspaceID: p.WorkspaceID, Actor: p.Actor(), ObjectType: "stage", ObjectID: id,
		Action: crm.Updated, Changes: ch})
}

// DeleteStage removes a stage. Its deals (any status, trashed too) move to
// moveTo, another stage of the workspace; with no deals moveTo may be 0. A
// pipeline keeps at least one stage. Admins only.
func DeleteStage(tx *store.Tx, p crm.Principal, id, moveTo crm.ID) error {
	if err := account.Can(tx, p, account.ActAdmin, 0); err != nil {
		return err
	}
	if err := lockList(tx, "pipelines", p.WorkspaceID); err != nil {
		return err
	}
	s, err := GetStage(tx, p.WorkspaceID, id)
	if err != nil {
		return err
	}
	pl, err := GetPipeline(tx, p.WorkspaceID, s.PipelineID)
	if err != nil {
		return err
	}
	if len(pl.Stages) <= 1 {
		return crm.Errorf(crm.Conflict, "A pipeline keeps at least one stage; delete the pipeline instead.")
	}
	if err := moveStageDeals(tx, p, s, moveTo, 0); err != nil {
		return err
	}
	if _, err := tx.Exec(`DELETE FROM stages WHERE workspace_id = ? AND id = ?`, p.WorkspaceID, id); err != nil {
		return err
	}
	var rest []crm.ID
	for _, x := range pl.Stages {
		if x.ID != id {
			rest = append(rest, x.ID)
		}
	}
	if err := renumberStages(tx, p.WorkspaceID, rest); err != nil {
		return err
	}
	if err := touchPipeline(tx, p.WorkspaceID, s.PipelineID); err != nil {
		return err
	}
	ch := map[string]crm.Change{"name": {Before: s.Name}, "pipeline_id": {Before: s.PipelineID}}
	if moveTo != 0 {
		ch["moved_to"] = crm.Change{After: moveTo}
	}
	return tx.Emit(crm.Event{WorkspaceID: p.WorkspaceID, Actor: p.Actor(), ObjectType: "stage", ObjectID: id,
		Action: crm.Deleted, Changes: ch})
}

// moveStageDeals moves every deal of stage from to the stage moveTo (which
// must not lie in the pipeline notIn), with history and an event per deal.
func moveStageDeals(tx *store.Tx, p crm.Principal, from Stage, moveTo, notIn crm.ID) error {
	ids, err := tx.IDs(`SELECT id FROM deals WHERE workspace_id = ? AND stage_id = ?`, p.WorkspaceID, from.ID)
	if err != nil || len(ids) == 0 {
		return err
	}
	bad := func(msg string) error {
		return (crm.FieldErrors{"move_to": fmt.Sprintf("%q holds %d deals: %s", from.Name, len(ids), msg)}).Err()
	}
	if moveTo == 0 {
		return bad("choose the stage they move to.")
	}
	to, err := GetStage(tx, p.WorkspaceID, moveTo)
	if crm.ErrorCode(err) == crm.NotFound || to.ID == from.ID || (notIn != 0 && to.PipelineID == notIn) {
		return bad("choose another stage that stays.")
	}
	if err != nil {
		return err
	}
	for _, id := range ids {
		d, err := GetDeal(tx, p.WorkspaceID, id, true)
		if err != nil {
			return err
		}
		if err := setStage(tx, p, d, to); err != nil {
			return err
		}
	}
	return nil
}
