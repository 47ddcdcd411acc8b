package ui

import (
	"github.com/tandemcrm/tandem/internal/activities"
	"net/http"
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
// saved deal view: its filter applies unless the URL names one (then the
// board differs from the view, and its owner may update it).
func (h *Handlers) BoardShow(w http.ResponseWriter, r *http.Request) {
	p := principal(r)
	q := r.URL.Query()
	pid, _ := crm.ParseID(q.Get("pipeline"))
	viewID, _ := crm.ParseID(q.Get("view"))
	v := view.BoardView{Filter: strings.TrimSpace(q.Get("filter"))}
	err := h.read(r.Context(), func(tx *store.Tx) error {
		if err := boardViews(tx, p, viewID, q.Has("filter"), &v); err != nil {
			return err
		}
		b, err := deals.LoadBoard(tx, p, deals.BoardQuery{PipelineID: pid, Filter: v.Filter, PerColumn: boardPage})
		if crm.ErrorCode(err) == crm.Invalid && v.Filter != "" {
			v.FilterErr = firstFieldMessage(err)
			b, err = deals.LoadBoard(tx, p, deals.BoardQuery{PipelineID: pid, PerColumn: boardPage})
		}
		if err != nil {
			return err
		}
		return h.fillBoard(tx, p, b, &v)
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

// boardViews lists the saved deal views p sees and applies the chosen one.
func boardViews(tx *store.Tx, p crm.Principal, id crm.ID, urlFilter bool, v *view.BoardView) error {
	saved, err := views.List(tx, p, "deal")
	if err != nil {
		return err
	}
	for _, sv := range saved {
		t := view.ViewTab{ID: sv.ID.String(), Name: sv.Name, Shared: sv.Shared, On: sv.ID == id,
			Mine: sv.OwnerID == p.UserID || (sv.Shared && p.Role.Rank() >= crm.RoleAdmin.Rank())}
		if t.On {
			if !urlFilter {
				v.Filter = sv.Filter
			}
			v.Dirty = v.Filter != sv.Filter
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

func (h *Handlers) fillBoard(tx *store.Tx, p crm.Principal, b deals.Board, v *view.BoardView) error {
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
	owners, err := ownerNames(tx, p.WorkspaceID)
	if err != nil {
		return err
	}
	// One look-up of next activities (and of the zone) for every column's
	// cards, not one per column.
	var all []deals.Deal
	for _, c := range b.Columns {
		all = append(all, c.Deals...)
	}
	cs, err := cards(tx, p, all, owners)
	if err != nil {
		return err
	}
	for _, c := range b.Columns {
		col := view.BoardColumn{StageID: c.Stage.ID.String(), Name: c.Stage.Name, Probability: c.Stage.Probability,
			Count: c.Count, Sum: amounts(c.Sums), Weighted: amounts(c.Weighted), Cards: cs[:len(c.Deals):len(c.Deals)]}
		cs = cs[len(c.Deals):]
		if c.Next != "" {
			col.MoreURL = columnURL(c.Stage.ID, v.Filter, c.Next)
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

func columnURL(stage crm.ID, filter, cursor string) string {
	return "/pipeline/column?stage=" + stage.String() + "&filter=" + urlQuery(filter) + "&cursor=" + urlQuery(cursor)
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
		page, err := deals.ColumnPage(tx, p, stage, q.Get("filter"), q.Get("cursor"), boardPage)
		if err != nil {
			return err
		}
		owners, err := ownerNames(tx, p.WorkspaceID)
		if err != nil {
			return err
		}
		if cs, err = cards(tx, p, page.Items, owners); err != nil {
			return err
		}
		if page.Next != "" {
			more = columnURL(stage, q.Get("filter"), page.Next)
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

// cards turns deals into board cards, each with its next open activity
// (only its type and when: the activity itself may belong to someone whose
// work the viewer does not see).
func cards(tx *store.Tx, p crm.Principal, ds []deals.Deal, owners map[crm.ID]string) ([]view.DealCard, error) {
	ids := make([]crm.ID, len(ds))
	for i, d := range ds {
		ids[i] = d.ID
	}
	next, err := activities.NextDue(tx, p.WorkspaceID, ids)
	if err != nil {
		return nil, err
	}
	loc, err := activities.Zone(tx, p)
	if err != nil {
		return nil, err
	}
	var out []view.DealCard
	for _, d := range ds {
		c := view.DealCard{ID: d.ID.String(), Title: d.Title, Value: crm.FormatMoney(d.Value, d.Currency),
			Company: d.CompanyName, Owner: owners[d.OwnerID], OwnerInitials: view.Initials(owners[d.OwnerID]),
			Version: d.Version, RottingDays: d.RottingDays(tx.Now)}
		if a, ok := next[d.ID]; ok {
			c.Next = activityLabel(a.Type)
			if !a.At.IsZero() {
				c.Next += " · " + a.At.In(loc).Format("Jan 2")
				c.NextOverdue = a.At.Before(tx.Now)
			}
		}
		out = append(out, c)
	}
	return out, nil
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
