package ui

import (
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/tandemcrm/tandem/internal/audit"
	"github.com/tandemcrm/tandem/internal/crm"
	"github.com/tandemcrm/tandem/internal/deals"
	"github.com/tandemcrm/tandem/internal/records"
	"github.com/tandemcrm/tandem/internal/store"
	"github.com/tandemcrm/tandem/internal/views"
	"github.com/tandemcrm/tandem/internal/web/respond"
	"github.com/tandemcrm/tandem/internal/web/view"
)

// loadDeal reads a deal and builds its page (facts, history, timeline).
func (h *Handlers) loadDeal(tx *store.Tx, p crm.Principal, id crm.ID, full bool) (view.DealPageView, error) {
	var v view.DealPageView
	d, err := deals.ViewDeal(tx, p, id)
	if err != nil {
		return v, err
	}
	pl, err := deals.GetPipeline(tx, p.WorkspaceID, d.PipelineID)
	if err != nil {
		return v, err
	}
	owners, err := ownerNames(tx, p.WorkspaceID)
	if err != nil {
		return v, err
	}
	v = view.DealPageView{ID: d.ID.String(), Title: d.Title, Status: d.Status, LostReason: d.LostReason,
		Value: crm.FormatMoney(d.Value, d.Currency), Weighted: crm.FormatMoney(d.WeightedValue(), d.Currency),
		Stage: d.StageName, Pipeline: pl.Name, PipelineID: pl.ID.String(), Version: d.Version,
		RottingDays: d.RottingDays(tx.Now), CanEdit: canEditDeals(p), Contacts: dealContacts(p, d)}
	v.Facts, err = h.dealFacts(tx, p, d, pl, owners)
	if err != nil || !full {
		return v, err
	}
	if v.History, err = dealHistory(tx, p, id); err != nil {
		return v, err
	}
	tl, err := records.TimelineFor(tx, p, "deal", id, 200)
	if err != nil {
		return v, err
	}
	loc, err := zone(tx, p)
	if err != nil {
		return v, err
	}
	v.Timeline = timelineView(tl, loc)
	reasons, err := deals.ListLostReasons(tx, p.WorkspaceID)
	for _, r := range reasons {
		v.Reasons = append(v.Reasons, r.Name)
	}
	return v, err
}

// dealHistory is the deal's stays in stages, the latest first.
func dealHistory(tx *store.Tx, p crm.Principal, id crm.ID) ([]view.StageRow, error) {
	hist, err := deals.History(tx, p, id)
	var rows []view.StageRow
	for i := len(hist) - 1; i >= 0; i-- {
		s := hist[i]
		row := view.StageRow{Stage: s.StageName, Entered: s.EnteredAt.Format("Jan 2, 2006 15:04"), Duration: days(s.Duration(tx.Now))}
		if !s.LeftAt.IsZero() {
			row.Left = s.LeftAt.Format("Jan 2, 2006 15:04")
		}
		rows = append(rows, row)
	}
	return rows, err
}

func days(d time.Duration) string {
	if d < 24*time.Hour {
		return fmt.Sprintf("%dh", int(d.Hours()))
	}
	return fmt.Sprintf("%dd", int(d.Hours()/24))
}

func (h *Handlers) dealFacts(tx *store.Tx, p crm.Principal, d deals.Deal, pl deals.Pipeline, owners map[crm.ID]string) ([]view.Fact, error) {
	base := "/deals/" + d.ID.String()
	ver := strconv.FormatInt(d.Version, 10)
	ro := !canEditDeals(p)
	f := func(key, label, text, input, value string, opts []view.Option) view.Fact {
		return view.Fact{Base: base, Key: key, Label: label, Text: text, Input: input, Value: value, Options: opts, Version: ver, ReadOnly: ro}
	}
	stage, err := stageFact(tx, p.WorkspaceID, d, pl)
	if err != nil {
		return nil, err
	}
	stage.Base, stage.Version, stage.ReadOnly = base, ver, ro
	var ownerOpts []view.Option
	for id, n := range owners {
		ownerOpts = append(ownerOpts, view.Option{Value: id.String(), Label: n})
	}
	slices.SortFunc(ownerOpts, func(a, b view.Option) int { return strings.Compare(a.Label, b.Label) })
	prios := []view.Option{{Value: "", Label: "—"}, {Value: "low", Label: "low"}, {Value: "medium", Label: "medium"}, {Value: "high", Label: "high"}}
	facts := []view.Fact{
		f("title", "Title", d.Title, "text", d.Title, nil),
		f("value", "Value", crm.FormatMoney(d.Value, d.Currency), "text", crm.FormatAmount(d.Value, d.Currency), nil),
		f("currency", "Currency", d.Currency, "text", d.Currency, nil),
		stage,
		f("expected_close", "Expected close", d.ExpectedClose, "date", d.ExpectedClose, nil),
		f("owner", "Owner", owners[d.OwnerID], "select", d.OwnerID.String(), ownerOpts),
		f("contact", "Contact", d.ContactName, "contact", companyValue(d.ContactID), nil),
		f("company", "Company", d.CompanyName, "company", companyValue(d.CompanyID), nil),
		f("priority", "Priority", d.Priority, "select", d.Priority, prios),
		f("source", "Source", d.Source, "text", d.Source, nil),
		f("tags", "Tags", "", "text", strings.Join(d.Tags, ", "), nil),
	}
	facts[len(facts)-1].Tags = d.Tags
	for i := range facts {
		switch {
		case facts[i].Key == "contact" && d.ContactID != 0:
			facts[i].URL = "/contacts/" + d.ContactID.String()
		case facts[i].Key == "company" && d.CompanyID != 0:
			facts[i].URL = "/companies/" + d.CompanyID.String()
		}
	}
	defs, err := records.ListFields(tx, p.WorkspaceID, "deal", false)
	if err != nil {
		return nil, err
	}
	members, err := views.Members(tx, p.WorkspaceID)
	if err != nil {
		return nil, err
	}
	for _, cf := range customFacts(recordCtx{defs: defs, members: members, readOnly: ro}, d.Custom) {
		cf.Base, cf.Version, cf.ReadOnly = base, ver, ro
		facts = append(facts, cf)
	}
	if d.Status == deals.Won || d.Status == deals.Lost {
		facts = append(facts, view.Fact{Key: "closed_at", Label: strings.ToUpper(d.Status[:1]) + d.Status[1:] + " on",
			Text: d.ClosedAt.Format("Jan 2, 2006 15:04"), ReadOnly: true})
	}
	return facts, nil
}

// stageFact is the deal's stage. With several pipelines its choices are
// every pipeline's stages, grouped: choosing one of another pipeline moves
// the deal there (deals.UpdateDeal moves it as deals.Move does, with
// history).
func stageFact(tx *store.Tx, ws crm.ID, d deals.Deal, pl deals.Pipeline) (view.Fact, error) {
	f := view.Fact{Key: "stage", Label: "Stage", Text: d.StageName, Input: "select", Value: d.StageID.String()}
	opts := func(pl deals.Pipeline) []view.Option {
		var out []view.Option
		for _, s := range pl.Stages {
			out = append(out, view.Option{Value: s.ID.String(), Label: fmt.Sprintf("%s (%d%%)", s.Name, s.Probability)})
		}
		return out
	}
	ps, err := deals.ListPipelines(tx, ws)
	if err != nil || len(ps) < 2 {
		f.Options = opts(pl)
		return f, err
	}
	f.Text = pl.Name + " › " + d.StageName
	for _, o := range ps {
		f.Groups = append(f.Groups, view.OptionGroup{Label: o.Name, Options: opts(o)})
	}
	return f, nil
}

// DealShow renders a deal's page.
func (h *Handlers) DealShow(w http.ResponseWriter, r *http.Request) {
	p := principal(r)
	id, err := crm.ParseID(r.PathValue("id"))
	if err != nil {
		h.Errs.Error(w, r, crm.Errorf(crm.NotFound, "No such deal."))
		return
	}
	var v view.DealPageView
	if err := h.read(r.Context(), func(tx *store.Tx) (err error) { v, err = h.loadDeal(tx, p, id, true); return err }); err != nil {
		h.Errs.Error(w, r, err)
		return
	}
	h.viewed(r, audit.RecordViewed, "deal", id, nil)
	for i := range v.Facts {
		v.Facts[i].Editing = v.Facts[i].Key == r.URL.Query().Get("edit") && !v.Facts[i].ReadOnly
	}
	if !v.Contacts.ReadOnly {
		v.Contacts.Editing = r.URL.Query().Get("edit_role")
	}
	h.render(w, r, http.StatusOK, view.DealPage(h.shell(w, r, v.Title, "pipeline"), v))
}

func dealFact(v view.DealPageView, key string) (view.Fact, bool) {
	for _, f := range v.Facts {
		if f.Key == key {
			return f, true
		}
	}
	return view.Fact{}, false
}

// DealFieldEdit answers htmx with one fact: its editor, or (show=1) its value.
func (h *Handlers) DealFieldEdit(w http.ResponseWriter, r *http.Request) {
	p := principal(r)
	id, _ := crm.ParseID(r.PathValue("id"))
	var v view.DealPageView
	if err := h.read(r.Context(), func(tx *store.Tx) (err error) { v, err = h.loadDeal(tx, p, id, false); return err }); err != nil {
		h.Errs.Error(w, r, err)
		return
	}
	f, ok := dealFact(v, r.URL.Query().Get("field"))
	if !ok {
		h.Errs.Error(w, r, crm.Errorf(crm.NotFound, "No such field."))
		return
	}
	f.Editing = r.URL.Query().Get("show") == "" && !f.ReadOnly
	h.render(w, r, http.StatusOK, view.FactFragment(f))
}

// dealPatch turns one edited field into a patch.
func dealPatch(field, value string) (deals.DealPatch, error) {
	var dp deals.DealPatch
	id := func() (*crm.ID, error) {
		if value == "" || value == "0" {
			z := crm.ID(0)
			return &z, nil
		}
		x, err := crm.ParseID(value)
		return &x, err
	}
	var err error
	switch field {
	case "title":
		dp.Title = &value
	case "value":
		dp.ValueDecimal = &value
	case "currency":
		dp.Currency = &value
	case "expected_close":
		dp.ExpectedClose = &value
	case "priority":
		dp.Priority = &value
	case "source":
		dp.Source = &value
	case "tags":
		tags := strings.Split(value, ",")
		dp.Tags = &tags
	case "stage":
		dp.StageID, err = id()
	case "owner":
		dp.OwnerID, err = id()
	case "company":
		dp.CompanyID, err = id()
	case "contact":
		dp.ContactID, err = id()
	default:
		return dp, crm.Errorf(crm.NotFound, "No such field.")
	}
	if err != nil {
		return dp, (crm.FieldErrors{field: "Choose one of the options."}).Err()
	}
	return dp, nil
}

// DealFieldSave changes one field of a deal (inline editing).
func (h *Handlers) DealFieldSave(w http.ResponseWriter, r *http.Request) {
	p := principal(r)
	id, _ := crm.ParseID(r.PathValue("id"))
	field, value := form(r, "field"), form(r, "value")
	version, _ := strconv.ParseInt(form(r, "version"), 10, 64)
	err := h.write(r.Context(), func(tx *store.Tx) error {
		var patch deals.DealPatch
		var err error
		if strings.HasPrefix(field, "custom.") {
			patch.Custom, err = customPatch(tx, p.WorkspaceID, "deal", field, value)
		} else {
			patch, err = dealPatch(field, value)
		}
		if err == nil && patch.ContactID != nil {
			err = promote(tx, p, id, &patch)
		}
		if err == nil {
			_, err = deals.UpdateDeal(tx, p, id, patch, version)
		}
		return err
	})
	code := crm.ErrorCode(err)
	if code != "" && code != crm.Invalid && code != crm.Conflict {
		h.Errs.Error(w, r, err)
		return
	}
	var v view.DealPageView
	picked := "" // a refused picker's choice, shown again
	if rerr := h.read(r.Context(), func(tx *store.Tx) (err error) {
		switch {
		case code != "" && field == "contact":
			picked = pickedContact(tx, p, value)
		case code != "" && field == "company":
			picked = pickedCompany(tx, p, value)
		}
		if v, err = h.loadDeal(tx, p, id, false); err != nil || code != "" {
			return err
		}
		if field == "stage" {
			if v.History, err = dealHistory(tx, p, id); err != nil {
				return err
			}
		}
		if !respond.IsHTMX(r) {
			return nil // redirected to the page, which reads its timeline
		}
		tl, err := records.TimelineFor(tx, p, "deal", id, 200)
		if err != nil {
			return err
		}
		loc, err := zone(tx, p)
		v.Timeline = timelineView(tl, loc)
		return err
	}); rerr != nil {
		h.Errs.Error(w, r, rerr)
		return
	}
	f, _ := dealFact(v, field)
	status := http.StatusOK
	switch code {
	case crm.Conflict:
		f.Editing, f.Value, status = true, value, http.StatusUnprocessableEntity
		f.Conflict = "Someone else changed this deal while you were editing. Save again to replace it with yours, or cancel."
	case crm.Invalid:
		f.Editing, f.Value, f.Version, status = true, value, strconv.FormatInt(version, 10), http.StatusUnprocessableEntity
		f.Error = firstFieldMessage(err)
	}
	if code != "" && (field == "contact" || field == "company") {
		f.Text = picked
		if picked == "" {
			f.Value = ""
		}
	}
	if !respond.IsHTMX(r) {
		if status != http.StatusOK {
			h.flash(w, "error", "Not saved: "+orDash(f.Conflict+f.Error))
		}
		http.Redirect(w, r, "/deals/"+id.String(), http.StatusSeeOther)
		return
	}
	if status != http.StatusOK {
		h.render(w, r, status, view.FactFragment(f))
		return
	}
	v.Contacts.OOB = true
	h.render(w, r, status, view.DealSaved(f, v, field == "contact", field == "stage"))
}
