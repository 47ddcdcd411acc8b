package deals

import (
	"fmt"
	"time"

	"github.com/tandemcrm/tandem/internal/crm"
	"github.com/tandemcrm/tandem/internal/store"
)

// UndoWindow is how long after a move or a decision Undo takes it back.
const UndoWindow = 15 * time.Minute

// Undo takes back p's last move of a deal to another stage, or the last
// won or lost decision on it, as if it had not happened: the deal returns
// to the stage it left with the time it had entered it (a rotting deal
// still rots), the stay the move began leaves the stage history, and a
// decision's status, reason and closing time are cleared. A move back
// would instead start the stay again and count the detour in the history.
//
// ifVersion must be the version the move or the decision gave the deal:
// any change since, by anyone, is a conflict, and so is one older than
// UndoWindow or a last change that was neither.
func Undo(tx *store.Tx, p crm.Principal, id crm.ID, ifVersion int64) (Deal, error) {
	if ifVersion == 0 {
		return Deal{}, (crm.FieldErrors{"version": "Say which version of the deal to undo the last move of."}).Err()
	}
	d, err := editable(tx, p, id, ifVersion)
	if err != nil {
		return d, err
	}
	visits, err := lastVisits(tx, p.WorkspaceID, id)
	if err != nil {
		return d, err
	}
	nothing := crm.Errorf(crm.Conflict, "There is no move or decision on this deal to undo any more.")
	now, updated := store.Micros(tx.Now), store.Micros(d.UpdatedAt)
	if d.Status != Open {
		// The decision was the last change, and it closed the stay.
		closed := store.Micros(d.ClosedAt)
		if len(visits) == 0 || updated != closed || visits[0].leftAt != closed || visits[0].stageID != d.StageID ||
			now-closed > UndoWindow.Microseconds() {
			return d, nothing
		}
		if _, err := tx.Exec(`UPDATE deals SET status = ?, lost_reason = '', closed_at = NULL, updated_at = ?, updated_by = ?,
			version = version + 1 WHERE workspace_id = ? AND id = ?`, Open, now, p.UserID, p.WorkspaceID, id); err != nil {
			return d, fmt.Errorf("deals: undo: %w", err)
		}
		if _, err := tx.Exec(`UPDATE deal_stage_history SET left_at = NULL WHERE workspace_id = ? AND id = ?`, p.WorkspaceID, visits[0].id); err != nil {
			return d, fmt.Errorf("deals: undo: %w", err)
		}
		after := d
		after.Status, after.LostReason = Open, ""
		ch := diff(d, after)
		ch["closed_at"] = crm.Change{Before: d.ClosedAt}
		return undone(tx, p, id, ch)
	}
	// The move was p's, the last change, and began the open stay.
	entered := store.Micros(d.StageEnteredAt)
	if len(visits) < 2 || updated != entered || visits[0].enteredAt != entered || visits[0].leftAt != 0 ||
		visits[0].actorID != p.UserID || visits[1].leftAt != entered || now-entered > UndoWindow.Microseconds() {
		return d, nothing
	}
	back := visits[1]
	if _, err := GetStage(tx, p.WorkspaceID, back.stageID); crm.ErrorCode(err) == crm.NotFound {
		return d, crm.Errorf(crm.Conflict, "The stage this deal was in has been removed.")
	} else if err != nil {
		return d, err
	}
	if _, err := tx.Exec(`UPDATE deals SET stage_id = ?, pipeline_id = ?, stage_entered_at = ?, updated_at = ?, updated_by = ?,
		version = version + 1 WHERE workspace_id = ? AND id = ?`, back.stageID, back.pipelineID, back.enteredAt, now, p.UserID, p.WorkspaceID, id); err != nil {
		return d, fmt.Errorf("deals: undo: %w", err)
	}
	if _, err := tx.Exec(`DELETE FROM deal_stage_history WHERE workspace_id = ? AND id = ?`, p.WorkspaceID, visits[0].id); err != nil {
		return d, fmt.Errorf("deals: undo: %w", err)
	}
	if _, err := tx.Exec(`UPDATE deal_stage_history SET left_at = NULL WHERE workspace_id = ? AND id = ?`, p.WorkspaceID, back.id); err != nil {
		return d, fmt.Errorf("deals: undo: %w", err)
	}
	ch := map[string]crm.Change{"stage_id": {Before: d.StageID, After: back.stageID}}
	if back.pipelineID != d.PipelineID {
		ch["pipeline_id"] = crm.Change{Before: d.PipelineID, After: back.pipelineID}
	}
	return undone(tx, p, id, ch)
}

func undone(tx *store.Tx, p crm.Principal, id crm.ID, ch map[string]crm.Change) (Deal, error) {
	if err := tx.Emit(crm.Event{WorkspaceID: p.WorkspaceID, Actor: p.Actor(), ObjectType: "deal", ObjectID: id,
		Action: crm.Updated, Changes: ch}); err != nil {
		return Deal{}, err
	}
	return GetDeal(tx, p.WorkspaceID, id, false)
}

// visit is a row of deal_stage_history, times in microseconds (left 0
// while open).
type visit struct {
	id, pipelineID, stageID, actorID crm.ID
	enteredAt, leftAt                int64
}

// lastVisits are a deal's two latest stays, newest first.
func lastVisits(tx *store.Tx, ws, deal crm.ID) ([]visit, error) {
	rows, err := tx.Query(`SELECT id, pipeline_id, stage_id, actor_id, entered_at, COALESCE(left_at, 0) FROM deal_stage_history
		WHERE workspace_id = ? AND deal_id = ? ORDER BY entered_at DESC, id DESC LIMIT 2`, ws, deal)
	if err != nil {
		return nil, fmt.Errorf("deals: stage history: %w", err)
	}
	defer rows.Close()
	var out []visit
	for rows.Next() {
		var v visit
		if err := rows.Scan(&v.id, &v.pipelineID, &v.stageID, &v.actorID, &v.enteredAt, &v.leftAt); err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, rows.Err()
}
