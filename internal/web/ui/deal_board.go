package ui

import (
	"net/http"
	"net/url"
	"strings"

	"github.com/tandemcrm/tandem/internal/crm"
	"github.com/tandemcrm/tandem/internal/deals"
	"github.com/tandemcrm/tandem/internal/store"
	"github.com/tandemcrm/tandem/internal/views"
	"github.com/tandemcrm/tandem/internal/web/view"
)

// boardPage is how many cards a column shows before "Show more": enough to
// fill a screen, few enough that 2,000 open deals render fast.
const boardPage = 30

// BoardShow renders the pipeline board (GET /pipeline). ?view=ID shows a
// saved deal view: its filter, its sort (the cards' order in each column)
// and its card fields apply unless the URL names its own (then the board
// differs from the view, and its owner may update it).
func (h *Handlers) BoardShow(w http.ResponseWriter, r *http.Request) {
	p := principal(r)
	q := r.URL.Query()
	pid, _ := crm.ParseID(q.Get("pipeline"))
	viewID, _ := crm.ParseID(q.Get("view"))
	st := boardState{filter: strings.TrimSpace(q.Get("filter")), sort: q.Get("sort"), fields: fieldsParam(q),
		hasFilter: q.Has("filter"), hasSort: q.Has("sort"), hasFields: q.Has("fields")}
	var v view.BoardView
	err := h.read(r.Context(), func(tx *store.Tx) error {
		if err := boardViews(tx, p, viewID, &st, &v); err != nil {
			return err
		}
		v.Filter = st.filter
		bq := deals.BoardQuery{PipelineID: pid, Filter: v.Filter, Sort: st.sort, PerColumn: boardPage}
		b, err := deals.LoadBoard(tx, p, bq)
		if crm.ErrorCode(err) == crm.Invalid && v.Filter != "" {
			v.FilterErr = firstFieldMessage(err)
			bq.Filter = ""
			b, err = deals.LoadBoard(tx, p, bq)
		}
		if err != nil {
			return err
		}
		return h.fillBoard(tx, p, b, st, &v)
	})
	if err != nil {
		h.Errs.Error(w, r, err)
		return
	}
	status := http.StatusOK
	if v.FilterErr != "" {
		status = http.StatusUnprocessableEntity
	}
	h.render(w, r, status, view.BoardPage(h.shell(w, r, "Pipeline", "pipeline"), v))
}

// boardState is what the board shows: from the URL, else from the view.
type boardState struct {
	filter, sort, fields          string
	hasFilter, hasSort, hasFields bool
	sortFromView                  bool
}

// saveSort is the sort a view saved from the board keeps: the order the
// cards are in ("" for the board's own when none was asked). A sort the
// board cannot show stays as the view had it (the deal list may use it);
// one the URL asked for is dropped, as the board did.
func (st boardState) saveSort() string {
	order, ok := deals.BoardOrder(st.sort)
	switch {
	case strings.TrimSpace(st.sort) == "":
		return ""
	case !ok && st.sortFromView:
		return st.sort
	case !ok:
		return ""
	}
	return order
}

// fieldsParam reads the card fields: "a,b" from a link, or one value per
// checkbox from the board's field picker (whose empty first value lets
// "no fields" be asked for).
func fieldsParam(q url.Values) string {
	var keys []string
	for _, f := range q["fields"] {
		keys = append(keys, views.ParseColumns(f)...)
	}
	return strings.Join(keys, ",")
}

// boardViews lists the saved deal views p sees and applies the chosen one
// to what the URL leaves open.
func boardViews(tx *store.Tx, p crm.Principal, id crm.ID, st *boardState, v *view.BoardView) error {
	saved, err := views.List(tx, p, "deal")
	if err != nil {
		return err
	}
	for _, sv := range saved {
		t := view.ViewTab{ID: sv.ID.String(), Name: sv.Name, Shared: sv.Shared, On: sv.ID == id,
			Mine: sv.OwnerID == p.UserID || (sv.Shared && p.Role.Rank() >= crm.RoleAdmin.Rank())}
		if t.On {
			cols := strings.Join(sv.Columns, ",")
			if !st.hasFilter {
				st.filter = sv.Filter
			}
			if !st.hasSort {
				st.sort, st.sortFromView = sv.Sort, true
			}
			if !st.hasFields {
				st.fields = cols
			}
			shown, _ := deals.BoardOrder(st.sort)
			saved, _ := deals.BoardOrder(sv.Sort)
			v.Dirty = st.filter != sv.Filter || shown != saved || st.fields != cols
		}
		v.Views = append(v.Views, t)
	}
	for i := range v.Views {
		if v.Views[i].On {
			v.View = &v.Views[i]
		}
	}
	if id != 0 && v.View == nil {
		return crm.Errorf(crm.NotFound, "No such view.")
	}
	return nil
}

func (h *Handlers) fillBoard(tx *store.Tx, p crm.Principal, b deals.Board, st boardState, v *view.BoardView) error {
	ps, err := deals.ListPipelines(tx, p.WorkspaceID)
	if err != nil {
		return err
	}
	for _, pl := range ps {
		v.Pipelines = append(v.Pipelines, view.Option{Value: pl.ID.String(), Label: pl.Name})
	}
	v.PipelineID = b.Pipeline.ID.String()
	for i := range v.Views {
		v.Views[i].URL = "/pipeline?pipeline=" + v.PipelineID + "&view=" + v.Views[i].ID
	}
	v.Sort, v.SaveSort = b.Sort, st.saveSort()
	v.Sorts = sortOptions(b.Sort)
	if _, ok := deals.BoardOrder(st.sort); !ok {
		v.SortNote = "The board cannot order cards by “" + strings.TrimSpace(st.sort) + "”; they are in the board's own order."
	}
	cf, err := loadCardFields(tx, p.WorkspaceID, st.fields)
	if err != nil {
		return err
	}
	v.Fields, v.FieldPicks = cf.key(), cf.picks
	// One look-up of next activities (and of the zone) for every column's
	// cards, not one per column.
	var all []deals.Deal
	for _, c := range b.Columns {
		all = append(all, c.Deals...)
	}
	cs, err := cards(tx, p, all, cf, b.Sort)
	if err != nil {
		return err
	}
	page := columnPage{filter: v.Filter, sort: b.Sort, fields: v.Fields}
	if v.FilterErr != "" {
		page.filter = ""
	}
	for _, c := range b.Columns {
		col := view.BoardColumn{StageID: c.Stage.ID.String(), Name: c.Stage.Name, Probability: c.Stage.Probability,
			Count: c.Count, Sum: amounts(c.Sums), Weighted: amounts(c.Weighted), Cards: cs[:len(c.Deals):len(c.Deals)]}
		cs = cs[len(c.Deals):]
		if c.Next != "" {
			col.MoreURL = page.url(c.Stage.ID, c.Next)
		}
		v.Columns = append(v.Columns, col)
	}
	reasons, err := deals.ListLostReasons(tx, p.WorkspaceID)
	for _, r := range reasons {
		v.Reasons = append(v.Reasons, r.Name)
	}
	v.CanEdit = p.Role != crm.RoleReadOnly
	return err
}

// columnPage is what a column's "Show more" carries so its next cards
// match the first: the filter, the order and the card fields.
type columnPage struct{ filter, sort, fields string }

func (c columnPage) url(stage crm.ID, cursor string) string {
	return "/pipeline/column?stage=" + stage.String() + "&filter=" + urlQuery(c.filter) + "&sort=" + urlQuery(c.sort) +
		"&fields=" + urlQuery(c.fields) + "&cursor=" + urlQuery(cursor)
}

// BoardColumn answers "Show more" with the next cards of one column.
func (h *Handlers) BoardColumn(w http.ResponseWriter, r *http.Request) {
	p := principal(r)
	q := r.URL.Query()
	stage, err := crm.ParseID(q.Get("stage"))
	if err != nil {
		h.Errs.Error(w, r, crm.Errorf(crm.NotFound, "No such stage."))
		return
	}
	var cs []view.DealCard
	var more string
	err = h.read(r.Context(), func(tx *store.Tx) error {
		if _, err := deals.GetStage(tx, p.WorkspaceID, stage); err != nil {
			return err
		}
		c := columnPage{filter: q.Get("filter"), sort: q.Get("sort"), fields: fieldsParam(q)}
		page, err := deals.ColumnPage(tx, p, deals.ColumnQuery{Stage: stage, Filter: c.filter, Sort: c.sort, Cursor: q.Get("cursor"), Limit: boardPage})
		if err != nil {
			return err
		}
		cf, err := loadCardFields(tx, p.WorkspaceID, c.fields)
		if err != nil {
			return err
		}
		if cs, err = cards(tx, p, page.Items, cf, c.sort); err != nil {
			return err
		}
		if page.Next != "" {
			more = c.url(stage, page.Next)
		}
		return nil
	})
	if err != nil {
		h.Errs.Error(w, r, err)
		return
	}
	h.render(w, r, http.StatusOK, view.BoardCards(cs, more))
}

func ownerNames(tx *store.Tx, ws crm.ID) (map[crm.ID]string, error) {
	ms, err := views.Members(tx, ws)
	out := map[crm.ID]string{}
	for _, m := range ms {
		out[m.ID] = m.Name
	}
	return out, err
}

func activityLabel(t string) string {
	if t == "" {
		return "Activity"
	}
	return strings.ToUpper(t[:1]) + t[1:]
}

// amounts writes per-currency sums: "USD 12,500.00 + EUR 300.00".
func amounts(as []deals.Amount) string {
	var parts []string
	for _, a := range as {
		parts = append(parts, crm.FormatMoney(a.Minor, a.Currency))
	}
	return strings.Join(parts, " + ")
}

// canEditDeals is whether p may change deals at all (read-only may not).
func canEditDeals(p crm.Principal) bool { return p.Role != crm.RoleReadOnly }
