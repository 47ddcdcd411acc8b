package deals

import (
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/tandemcrm/tandem/internal/account"
	"github.com/tandemcrm/tandem/internal/crm"
	"github.com/tandemcrm/tandem/internal/store"
)

// Pipeline is an ordered list of stages a deal moves through.
type Pipeline struct {
	ID        crm.ID
	Name      string
	Position  int
	Stages    []Stage
	CreatedAt time.Time
	UpdatedAt time.Time
	Version   int64 // one more on every change of the pipeline or of its stages
}

// Stage is one step of a pipeline.
type Stage struct {
	ID          crm.ID
	PipelineID  crm.ID
	Name        string
	Position    int
	Probability int // percent, 0..100: the chance a deal here is won
	RotDays     int // an open deal here longer than this is rotting; 0: never
	Version     int64
}

// StageInput creates or changes a stage; nil leaves a field as it is.
type StageInput struct {
	Name        *string
	Probability *int
	RotDays     *int
	Position    *int // 0-based place among the pipeline's stages
}

// ListPipelines returns the workspace's pipelines in order, with stages.
func ListPipelines(tx *store.Tx, ws crm.ID) ([]Pipeline, error) {
	rows, err := tx.Query(`SELECT id, name, position, created_at, updated_at, version FROM pipelines
		WHERE workspace_id = ? ORDER BY position, id`, ws)
	if err != nil {
		return nil, fmt.Errorf("deals: pipelines: %w", err)
	}
	var out []Pipeline
	for rows.Next() {
		var p Pipeline
		var c, u int64
		if err := rows.Scan(&p.ID, &p.Name, &p.Position, &c, &u, &p.Version); err != nil {
			rows.Close()
			return nil, err
		}
		p.CreatedAt, p.UpdatedAt = store.FromMicros(c), store.FromMicros(u)
		out = append(out, p)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	stages, err := listStages(tx, ws, 0)
	if err != nil {
		return nil, err
	}
	for i := range out {
		for _, s := range stages {
			if s.PipelineID == out[i].ID {
				out[i].Stages = append(out[i].Stages, s)
			}
		}
	}
	return out, nil
}

func listStages(tx *store.Tx, ws, pipeline crm.ID) ([]Stage, error) {
	q, args := `SELECT id, pipeline_id, name, position, probability, rot_days, version FROM stages WHERE workspace_id = ?`, []any{ws}
	if pipeline != 0 {
		q += ` AND pipeline_id = ?`
		args = append(args, pipeline)
	}
	rows, err := tx.Query(q+` ORDER BY pipeline_id, position, id`, args...)
	if err != nil {
		return nil, fmt.Errorf("deals: stages: %w", err)
	}
	defer rows.Close()
	var out []Stage
	for rows.Next() {
		var s Stage
		if err := rows.Scan(&s.ID, &s.PipelineID, &s.Name, &s.Position, &s.Probability, &s.RotDays, &s.Version); err != nil {
			return nil, err
		}
		out = append(out, s)
	}
	return out, rows.Err()
}

// GetPipeline returns one pipeline of the workspace with its stages.
func GetPipeline(tx *store.Tx, ws, id crm.ID) (Pipeline, error) {
	ps, err := ListPipelines(tx, ws)
	if err != nil {
		return Pipeline{}, err
	}
	for _, p := range ps {
		if p.ID == id {
			return p, nil
		}
	}
	return Pipeline{}, crm.Errorf(crm.NotFound, "No such pipeline.")
}

// DefaultPipeline is the first pipeline in order (every workspace has one).
func DefaultPipeline(tx *store.Tx, ws crm.ID) (Pipeline, error) {
	ps, err := ListPipelines(tx, ws)
	if err != nil {
		return Pipeline{}, err
	}
	if len(ps) == 0 {
		return Pipeline{}, crm.Errorf(crm.NotFound, "This workspace has no pipeline yet.")
	}
	return ps[0], nil
}

// GetStage returns one stage of the workspace.
func GetStage(tx *store.Tx, ws, id crm.ID) (Stage, error) {
	var s Stage
	err := tx.QueryRow(`SELECT id, pipeline_id, name, position, probability, rot_days, version FROM stages
		WHERE workspace_id = ? AND id = ?`, ws, id).Scan(&s.ID, &s.PipelineID, &s.Name, &s.Position, &s.Probability, &s.RotDays, &s.Version)
	if errors.Is(err, store.ErrNoRows) {
		return s, crm.Errorf(crm.NotFound, "No such stage.")
	}
	return s, err
}

func cleanName(fe crm.FieldErrors, field, name string) string {
	name = strings.TrimSpace(name)
	if name == "" || len(name) > 80 {
		fe.Add(field, "Give it a name (up to 80 characters).")
	}
	return name
}

// CreatePipeline adds a pipeline with the given stages (at least one), at
// the end of the list. Admins only.
func CreatePipeline(tx *store.Tx, p crm.Principal, name string, stages []StageInput) (Pipeline, error) {
	if err := account.Can(tx, p, account.ActAdmin, 0); err != nil {
		return Pipeline{}, err
	}
	if err := lockList(tx, "pipelines", p.WorkspaceID); err != nil {
		return Pipeline{}, err
	}
	fe := crm.FieldErrors{}
	pl := Pipeline{ID: tx.NewID(), Name: cleanName(fe, "name", name), CreatedAt: tx.Now, UpdatedAt: tx.Now, Version: 1}
	if len(stages) == 0 {
		fe.Add("stages", "A pipeline needs at least one stage.")
	}
	if len(stages) > 30 {
		fe.Add("stages", "A pipeline has at most 30 stages.")
	}
	for i, in := range stages {
		s := Stage{ID: tx.NewID(), PipelineID: pl.ID, Position: i, Version: 1}
		applyStage(fe, fmt.Sprintf("stages.%d.", i), &s, in, true)
		pl.Stages = append(pl.Stages, s)
	}
	if err := fe.Err(); err != nil {
		return pl, err
	}
	if err := tx.QueryRow(`SELECT COALESCE(max(position), -1) + 1 FROM pipelines WHERE workspace_id = ?`, p.WorkspaceID).Scan(&pl.Position); err != nil {
		return pl, err
	}
	now := store.Micros(tx.Now)
	if _, err := tx.Exec(`INSERT INTO pipelines (id, workspace_id, name, position, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)`,
		pl.ID, p.WorkspaceID, pl.Name, pl.Position, now, now); err != nil {
		return pl, fmt.Errorf("deals: create pipeline: %w", err)
	}
	for _, s := range pl.Stages {
		if err := insertStage(tx, p.WorkspaceID, s); err != nil {
			return pl, err
		}
	}
	return pl, tx.Emit(crm.Event{WorkspaceID: p.WorkspaceID, Actor: p.Actor(), ObjectType: "pipeline", ObjectID: pl.ID,
		Action: crm.Created, Changes: map[string]crm.Change{"name": {After: pl.Name}, "stages": {After: stageNames(pl.Stages)}}})
}

func stageNames(ss []Stage) []string {
	out := make([]string, len(ss))
	for i, s := range ss {
		out[i] = s.Name
	}
	return out
}

// applyStage copies the set fields of in onto s, checking them.
func applyStage(fe crm.FieldErrors, prefix string, s *Stage, in StageInput, creating bool) {
	if in.Name != nil || creating {
		n := ""
		if in.Name != nil {
			n = *in.Name
		}
		s.Name = cleanName(fe, prefix+"name", n)
	}
	if in.Probability != nil {
		if *in.Probability < 0 || *in.Probability > 100 {
			fe.Add(prefix+"probability", "Give a probability from 0 to 100 (percent).")
		}
		s.Probability = *in.Probability
	}
	if in.RotDays != nil {
		if *in.RotDays < 0 || *in.RotDays > 3650 {
			fe.Add(prefix+"rot_days", "Give rotting days from 0 (never) to 3650.")
		}
		s.RotDays = *in.RotDays
	}
}

func insertStage(tx *store.Tx, ws crm.ID, s Stage) error {
	now := store.Micros(tx.Now)
	_, err := tx.Exec(`INSERT INTO stages (id, workspace_id, pipeline_id, name, position, probability, rot_days, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`, s.ID, ws, s.PipelineID, s.Name, s.Position, s.Probability, s.RotDays, now, now)
	if err != nil {
		return fmt.Errorf("deals: create stage: %w", err)
	}
	return nil
}

// PipelinePatch renames or moves a pipeline, or reorders its stages
// (StageOrder lists every stage id of the pipeline in the new order).
type PipelinePatch struct {
	Name       *string
	Position   *int
	StageOrder []crm.ID
}

// UpdatePipeline is UpdatePipelineIf without a version to check (the
// settings page sends none).
func UpdatePipeline(tx *store.Tx, p crm.Principal, id crm.ID, in PipelinePatch) (Pipeline, error) {
	return UpdatePipelineIf(tx, p, id, in, 0)
}

// UpdatePipelineIf applies a patch. When ifVersion is not 0 it must equal
// the pipeline's version, else conflict. Admins only.
func UpdatePipelineIf(tx *store.Tx, p crm.Principal, id crm.ID, in PipelinePatch, ifVersion int64) (Pipeline, error) {
	if err := account.Can(tx, p, account.ActAdmin, 0); err != nil {
		return Pipeline{}, err
	}
	if err := lockList(tx, "pipelines", p.WorkspaceID); err != nil {
		return Pipeline{}, err
	}
	pl, err := GetPipeline(tx, p.WorkspaceID, id)
	if err != nil {
		return pl, err
	}
	if err := checkVersion("pipeline", pl.Version, ifVersion); err != nil {
		return pl, err
	}
	version := pl.Version
	fe := crm.FieldErrors{}
	ch := map[string]crm.Change{}
	if in.Name != nil {
		if n := cleanName(fe, "name", *in.Name); n != pl.Name {
			ch["name"], pl.Name = crm.Change{Before: pl.Name, After: n}, n
		}
	}
	if in.StageOrder != nil {
		if !sameIDs(in.StageOrder, pl.Stages) {
			fe.Add("stage_order", "List every stage of this pipeline exactly once.")
		}
	}
	if err := fe.Err(); err != nil {
		return pl, err
	}
	if in.StageOrder != nil {
		before := stageNames(pl.Stages)
		if err := renumberStages(tx, p.WorkspaceID, in.StageOrder); err != nil {
			return pl, err
		}
		if pl, err = GetPipeline(tx, p.WorkspaceID, id); err != nil {
			return pl, err
		}
		if after := stageNames(pl.Stages); strings.Join(before, "\x00") != strings.Join(after, "\x00") {
			ch["stages"] = crm.Change{Before: before, After: after}
		}
		if in.Name != nil {
			pl.Name = strings.TrimSpace(*in.Name)
		}
	}
	if in.Position != nil && *in.Position != pl.Position {
		if err := movePipeline(tx, p.WorkspaceID, id, *in.Position); err != nil {
			return pl, err
		}
		ch["position"] = crm.Change{Before: pl.Position, After: *in.Position}
	}
	if len(ch) == 0 {
		return pl, nil
	}
	if _, err := tx.Exec(`UPDATE pipelines SET name = ?, updated_at = ?, version = ? WHERE workspace_id = ? AND id = ?`,
		pl.Name, store.Micros(tx.Now), version+1, p.WorkspaceID, id); err != nil {
		return pl, err
	}
	if pl, err = GetPipeline(tx, p.WorkspaceID, id); err != nil {
		return pl, err
	}
	return pl, tx.Emit(crm.Event{WorkspaceID: p.WorkspaceID, Actor: p.Actor(), ObjectType: "pipeline", ObjectID: id,
		Action: crm.Updated, Changes: ch})
}

func sameIDs(order []crm.ID, stages []Stage) bool {
	if len(order) != len(stages) {
		return false
	}
	seen := map[crm.ID]bool{}
	for _, id := range order {
		seen[id] = true
	}
	for _, s := range stages {
		if !seen[s.ID] {
			return false
		}
	}
	return len(seen) == len(stages)
}

// renumberStages gives the stages positions 0, 1, … in order; a stage
// whose position changes gets a new version.
func renumberStages(tx *store.Tx, ws crm.ID, order []crm.ID) error {
	for i, sid := range order {
		if _, err := tx.Exec(`UPDATE stages SET position = ?, updated_at = ?, version = version + 1
			WHERE workspace_id = ? AND id = ? AND position <> ?`, i, store.Micros(tx.Now), ws, sid, i); err != nil {
			return err
		}
	}
	return nil
}

// movePipeline puts pipeline id at position pos (0-based) and renumbers.
func movePipeline(tx *store.Tx, ws, id crm.ID, pos int) error {
	ps, err := ListPipelines(tx, ws)
	if err != nil {
		return err
	}
	var ids []crm.ID
	for _, p := range ps {
		if p.ID != id {
			ids = append(ids, p.ID)
		}
	}
	pos = max(0, min(pos, len(ids)))
	ids = append(ids[:pos], append([]crm.ID{id}, ids[pos:]...)...)
	for i, pid := range ids {
		if _, err := tx.Exec(`UPDATE pipelines SET position = ?, version = version + 1 WHERE workspace_id = ? AND id = ? AND position <> ?`,
			i, ws, pid, i); err != nil {
			return err
		}
	}
	return nil
}

// DeletePipeline removes a pipeline and its stages. Its deals (open or
// closed, trashed too) move to moveTo, a stage of another pipeline; without
// deals moveTo may be 0. The last pipeline stays. Admins only.
func DeletePipeline(tx *store.Tx, p crm.Principal, id, moveTo crm.ID) error {
	if err := account.Can(tx, p, account.ActAdmin, 0); err != nil {
		return err
	}
	if err := lockList(tx, "pipelines", p.WorkspaceID); err != nil {
		return err
	}
	pl, err := GetPipeline(tx, p.WorkspaceID, id)
	if err != nil {
		return err
	}
	var n int
	if err := tx.QueryRow(`SELECT count(*) FROM pipelines WHERE workspace_id = ?`, p.WorkspaceID).Scan(&n); err != nil {
		return err
	}
	if n <= 1 {
		return crm.Errorf(crm.Conflict, "A workspace keeps at least one pipeline.")
	}
	for _, s := range pl.Stages {
		if err := moveStageDeals(tx, p, s, moveTo, id); err != nil {
			return err
		}
	}
	if _, err := tx.Exec(`DELETE FROM stages WHERE workspace_id = ? AND pipeline_id = ?`, p.WorkspaceID, id); err != nil {
		return err
	}
	if _, err := tx.Exec(`DELETE FROM pipelines WHERE workspace_id = ? AND id = ?`, p.WorkspaceID, id); err != nil {
		return err
	}
	return tx.Emit(crm.Event{WorkspaceID: p.WorkspaceID, Actor: p.Actor(), ObjectType: "pipeline", ObjectID: id,
		Action: crm.Deleted, Changes: map[string]crm.Change{"name": {Before: pl.Name}}})
}

// lockList makes changes to a workspace's pipelines and stages (table
// "pipelines") or to its lost reasons ("lost_reasons") queue one behind
// another on PostgreSQL: they renumber their neighbours, and an If-Match
// check must hold until commit. Every such change locks the whole list
// first, in one order, so two of them cannot deadlock. SQLite has one
// writer anyway.
func lockList(tx *store.Tx, table string, ws crm.ID) error {
	if tx.Dialect() != store.Postgres {
		return nil
	}
	if _, err := tx.Exec(`SELECT id FROM `+table+` WHERE workspace_id = ? ORDER BY id FOR UPDATE`, ws); err != nil {
		return fmt.Errorf("deals: lock %s: %w", table, err)
	}
	return nil
}

// checkVersion compares an If-Match version (0: none) with the stored one.
func checkVersion(what string, stored, ifVersion int64) error {
	if ifVersion != 0 && ifVersion != stored {
		return crm.Errorf(crm.Conflict, "This %s was changed by someone else (version %d, not %d). Reload and try again.", what, stored, ifVersion)
	}
	return nil
}

// touchPipeline gives a pipeline a new version when its stages change.
func touchPipeline(tx *store.Tx, ws, id crm.ID) error {
	_, err := tx.Exec(`UPDATE pipelines SET version = version + 1, updated_at = ? WHERE workspace_id = ? AND id = ?`,
		store.Micros(tx.Now), ws, id)
	return err
}
