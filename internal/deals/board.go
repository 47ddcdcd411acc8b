package deals

import (
	"fmt"
	"sort"
	"strings"

	"github.com/tandemcrm/tandem/internal/crm"
	"github.com/tandemcrm/tandem/internal/filter"
	"github.com/tandemcrm/tandem/internal/records"
	"github.com/tandemcrm/tandem/internal/store"
)

// Amount is a sum of money in one currency.
type Amount struct {
	Currency string
	Minor    int64
}

// Column is one stage of the board: its open deals (one page), how many
// there are, and their sums per currency, unweighted and weighted by the
// stage's probability.
type Column struct {
	Stage    Stage
	Count    int
	Sums     []Amount // largest first
	Weighted []Amount // Sums × probability, rounded half up per currency
	Deals    []Deal
	Next     string // cursor of the column's next page
}

// Board is a pipeline's open deals by stage.
type Board struct {
	Pipeline Pipeline
	Columns  []Column
	Sort     string // the order the columns' cards are in (canonical), BoardSort when the asked one is refused
}

// BoardQuery asks for a board: a pipeline (0: the default one), a filter in
// the filter language, the order of the cards within a column (a deal
// list's sort, "" for BoardSort) and how many cards each column shows at
// first.
type BoardQuery struct {
	PipelineID crm.ID
	Filter     string
	Sort       string
	PerColumn  int // 0 means 50; below 0: counts and sums only
}

// ColumnQuery asks for one page of a board column: the stage's open deals
// that match Filter, in the order Sort gives (as BoardQuery's), after
// Cursor (from the previous page, made under the same sort).
type ColumnQuery struct {
	Stage  crm.ID
	Filter string
	Sort   string
	Cursor string
	Limit  int
}

// BoardSort is the board's own order: the latest to enter the stage first.
const BoardSort = "-stage_entered_at"

// boardSorts are the orders a column may take: the deal list's, but for
// status (every card on the board is open, so it orders nothing).
var boardSorts = func() map[string]string {
	m := map[string]string{}
	for k, v := range sorts {
		if k != "status" {
			m[k] = v
		}
	}
	return m
}()

// BoardOrder is the order a board shows for sort: its canonical form
// (BoardSort for ""), or BoardSort and ok false when the board cannot sort
// by it (unknown, or status). A view made for the deal list may carry such
// a sort; the board shows its cards anyway rather than refusing the view.
func BoardOrder(sort string) (order string, ok bool) {
	if _, canon, err := records.ParseSort(sort, boardSorts, BoardSort); err == nil {
		return canon, true
	}
	return BoardSort, false
}

// LoadBoard reads the board: counts and sums over every matching open deal
// of the pipeline, and the first page of each column. Unfiltered, for
// someone who sees every deal, the counts and sums come from the maintained
// totals (totals.go); otherwise from one grouped query over the matches.
func LoadBoard(tx *store.Tx, p crm.Principal, q BoardQuery) (Board, error) {
	var b Board
	var err error
	if q.PipelineID == 0 {
		b.Pipeline, err = DefaultPipeline(tx, p.WorkspaceID)
	} else {
		b.Pipeline, err = GetPipeline(tx, p.WorkspaceID, q.PipelineID)
	}
	if err != nil {
		return b, err
	}
	b.Sort, _ = BoardOrder(q.Sort)
	schema, err := boardSchema(tx, p.WorkspaceID, q.Filter)
	if err != nil {
		return b, err
	}
	// The matching deals (filter and visibility), worked out once for the
	// totals and every column.
	base, baseArgs, err := records.Where(tx, "d", p.WorkspaceID, schema, q.Filter, p)
	if err != nil {
		return b, err
	}
	clause := base + ` AND d.pipeline_id = ? AND d.status = 'open'`
	args := append(append([]any(nil), baseArgs...), b.Pipeline.ID)
	byStage := map[crm.ID]*Column{}
	for _, s := range b.Pipeline.Stages {
		b.Columns = append(b.Columns, Column{Stage: s})
	}
	for i := range b.Columns {
		byStage[b.Columns[i].Stage.ID] = &b.Columns[i]
	}
	totals, err := columnTotals(tx, p, b.Pipeline.ID, q.Filter, clause, args)
	if err != nil {
		return b, err
	}
	for _, t := range totals {
		if c := byStage[t.stage]; c != nil {
			c.Count += t.deals
			c.Sums = append(c.Sums, Amount{t.currency, t.value})
		}
	}
	for i := range b.Columns {
		c := &b.Columns[i]
		sort.Slice(c.Sums, func(x, y int) bool {
			if c.Sums[x].Minor != c.Sums[y].Minor {
				return c.Sums[x].Minor > c.Sums[y].Minor
			}
			return c.Sums[x].Currency < c.Sums[y].Currency
		})
		for _, a := range c.Sums {
			c.Weighted = append(c.Weighted, Amount{a.Currency, Weighted(a.Minor, c.Stage.Probability)})
		}
		if c.Count == 0 || q.PerColumn < 0 {
			continue
		}
		page, err := columnPage(tx, base, baseArgs, ColumnQuery{Stage: c.Stage.ID, Sort: b.Sort, Limit: q.PerColumn})
		if err != nil {
			return b, err
		}
		c.Deals, c.Next = page.Items, page.Next
	}
	return b, nil
}

// ColumnPage is one page of a board column: the stage's open deals that
// match the filter, in the column's order (BoardOrder of q.Sort).
func ColumnPage(tx *store.Tx, p crm.Principal, q ColumnQuery) (records.Page[Deal], error) {
	schema, err := boardSchema(tx, p.WorkspaceID, q.Filter)
	if err != nil {
		return records.Page[Deal]{}, err
	}
	base, args, err := records.Where(tx, "d", p.WorkspaceID, schema, q.Filter, p)
	if err != nil {
		return records.Page[Deal]{}, err
	}
	q.Sort, _ = BoardOrder(q.Sort)
	return columnPage(tx, base, args, q)
}

// boardSchema is the deal schema a filter is read with; without a filter
// there is nothing to read, and the three field look-ups it costs are
// skipped (they are a good part of an unfiltered board's statements).
func boardSchema(tx *store.Tx, ws crm.ID, expr string) (*filter.Schema, error) {
	if strings.TrimSpace(expr) == "" {
		return nil, nil
	}
	return schemaFor(tx, ws)
}

// columnPage reads a page of one stage's open deals among those base
// selects (alias d), q.Sort being a board order. The cursor holds the last
// card's sort values and id, so a page starts where the previous ended
// however many cards share a value.
func columnPage(tx *store.Tx, base string, baseArgs []any, q ColumnQuery) (records.Page[Deal], error) {
	var page records.Page[Deal]
	query, args, err := columnSQL(base, baseArgs, q)
	if err != nil {
		return page, err
	}
	items, err := scanDeals(tx, query, args...)
	if err != nil {
		return page, err
	}
	keys, spec, _ := records.ParseSort(q.Sort, boardSorts, BoardSort)
	if limit := records.ClampLimit(q.Limit); len(items) > limit {
		items = items[:limit]
		last := items[len(items)-1]
		page.Next = records.EncodeCursor(spec, columnValues(last, keys), last.ID)
	}
	page.Items = items
	return page, nil
}

// columnValues are d's values of a column order's keys, as the column's
// query compares them.
func columnValues(d Deal, keys []records.SortKey) []any {
	vals := make([]any, len(keys))
	for i, k := range keys {
		vals[i] = sortValue(d, k.Name())
		if k.Name() == "expected_close" && !k.Desc() && d.ExpectedClose == "" {
			vals[i] = undated
		}
	}
	return vals
}

// CardKey is where d sorts in a board column ordered by spec (as
// BoardOrder reads it): per key its value and whether it descends, then
// its id (zero-padded, so it compares as text) in the last key's
// direction, as the column's query orders them. The board compares these
// to put a card that a move brought in among the cards it shows
// (web/src/board.js).
func CardKey(d Deal, spec string) [][2]any {
	order, _ := BoardOrder(spec)
	keys, _, _ := records.ParseSort(order, boardSorts, BoardSort)
	out := make([][2]any, 0, len(keys)+1)
	for i, v := range columnValues(d, keys) {
		out = append(out, [2]any{v, keys[i].Desc()})
	}
	lastDesc := len(keys) > 0 && keys[len(keys)-1].Desc()
	return append(out, [2]any{fmt.Sprintf("%020d", int64(d.ID)), lastDesc})
}

// undated is where a deal without a close date sorts when a column is
// sorted by earliest close: after every dated one, as people expect of
// "what closes next" (a plain sort would put them first). Sorted by latest
// close they come last as they are. closeFirst is that order's expression;
// migration 00032 indexes it as written here.
const (
	undated    = "9999-12-31"
	closeFirst = `CASE WHEN d.expected_close = '' THEN '` + undated + `' ELSE d.expected_close END`
)

// columnSQL is the query of a column page: one row more than the page, to
// tell whether there is a next one.
func columnSQL(base string, baseArgs []any, q ColumnQuery) (string, []any, error) {
	keys, spec, err := records.ParseSort(q.Sort, boardSorts, BoardSort)
	if err != nil {
		return "", nil, err
	}
	cur, err := records.DecodeCursor(q.Cursor, spec, len(keys))
	if err != nil {
		return "", nil, err
	}
	clause, args := base, append([]any(nil), baseArgs...)
	clause += ` AND d.stage_id = ? AND d.status = 'open'`
	args = append(args, q.Stage)
	sk := make([]store.SortKey, len(keys))
	for i, k := range keys {
		sk[i] = store.SortKey{Expr: "d." + boardSorts[k.Name()], Desc: k.Desc()}
		if k.Name() == "expected_close" && !k.Desc() {
			sk[i].Expr = closeFirst
		}
	}
	var after []any
	if cur != nil {
		after = append(append(after, cur.Values...), cur.ID)
	}
	order, cond, condArgs := store.Keyset(sk, "d.id", after)
	if cond != "" {
		clause += " AND " + cond
		args = append(args, condArgs...)
	}
	args = append(args, records.ClampLimit(q.Limit)+1)
	return dealCols + dealFrom + ` WHERE ` + clause + ` ORDER BY ` + order + ` LIMIT ?`, args, nil
}
