package deals

import (
	"fmt"
	"strings"

	"github.com/tandemcrm/tandem/internal/account"
	"github.com/tandemcrm/tandem/internal/crm"
	"github.com/tandemcrm/tandem/internal/store"
)

// A stageTotal is the open, untrashed deals of one stage in one currency:
// how many and their summed value.
type stageTotal struct {
	stage    crm.ID
	currency string
	deals    int
	value    int64
}

// columnTotals counts and sums a board's columns. deal_stage_totals holds
// the totals of every stage (kept by triggers on deals, migration 00028),
// so an unfiltered board for someone who sees every deal reads a handful
// of rows however many deals there are. A filter or a visibility limit
// narrows the set, and then the matching deals are summed (clause and args
// select them, alias d).
func columnTotals(tx *store.Tx, p crm.Principal, pipeline crm.ID, expr, clause string, args []any) ([]stageTotal, error) {
	if strings.TrimSpace(expr) == "" {
		vis, _, err := account.VisibilityClause(tx, p, "d.owner_id")
		if err != nil {
			return nil, err
		}
		if vis == "" {
			return readTotals(tx, `SELECT stage_id, currency, deals, value FROM deal_stage_totals
				WHERE workspace_id = ? AND pipeline_id = ? AND deals <> 0`, p.WorkspaceID, pipeline)
		}
	}
	return readTotals(tx, `SELECT d.stage_id, d.currency, count(*), COALESCE(sum(d.value), 0) FROM deals d WHERE `+clause+
		` GROUP BY d.stage_id, d.currency`, args...)
}

func readTotals(tx *store.Tx, q string, args ...any) ([]stageTotal, error) {
	rows, err := tx.Query(q, args...)
	if err != nil {
		return nil, fmt.Errorf("deals: board totals: %w", err)
	}
	defer rows.Close()
	var out []stageTotal
	for rows.Next() {
		var t stageTotal
		if err := rows.Scan(&t.stage, &t.currency, &t.deals, &t.value); err != nil {
			return nil, err
		}
		out = append(out, t)
	}
	return out, rows.Err()
}

// CheckStageTotals compares the maintained totals of workspace ws with a
// fresh aggregate over its deals and describes every difference ("" when
// they agree).
func CheckStageTotals(tx *store.Tx, ws crm.ID) (string, error) {
	kept, err := readKeyed(tx, `SELECT pipeline_id, stage_id, currency, deals, value FROM deal_stage_totals
		WHERE workspace_id = ? AND deals <> 0`, ws)
	if err != nil {
		return "", err
	}
	fresh, err := readKeyed(tx, `SELECT pipeline_id, stage_id, currency, count(*), sum(value) FROM deals
		WHERE workspace_id = ? AND status = 'open' AND deleted_at IS NULL GROUP BY pipeline_id, stage_id, currency`, ws)
	if err != nil {
		return "", err
	}
	var diffs []string
	for k, f := range fresh {
		if kept[k] != f {
			diffs = append(diffs, fmt.Sprintf("%s: kept %v, counted %v", k, kept[k], f))
		}
	}
	for k, v := range kept {
		if _, ok := fresh[k]; !ok {
			diffs = append(diffs, fmt.Sprintf("%s: kept %v, counted none", k, v))
		}
	}
	return strings.Join(diffs, "; "), nil
}

func readKeyed(tx *store.Tx, q string, args ...any) (map[string][2]int64, error) {
	rows, err := tx.Query(q, args...)
	if err != nil {
		return nil, fmt.Errorf("deals: check totals: %w", err)
	}
	defer rows.Close()
	out := map[string][2]int64{}
	for rows.Next() {
		var pl, st crm.ID
		var cur string
		var n, v int64
		if err := rows.Scan(&pl, &st, &cur, &n, &v); err != nil {
			return nil, err
		}
		out[fmt.Sprintf("pipeline %d stage %d %s", pl, st, cur)] = [2]int64{n, v}
	}
	return out, rows.Err()
}
