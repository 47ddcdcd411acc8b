package ui

import (
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/tandemcrm/tandem/internal/crm"
	"github.com/tandemcrm/tandem/internal/deals"
	"github.com/tandemcrm/tandem/internal/records"
	"github.com/tandemcrm/tandem/internal/store"
	"github.com/tandemcrm/tandem/internal/web/view"
)

// DealList renders the deals list (GET /deals): filter, sort, pages.
func (h *Handlers) DealList(w http.ResponseWriter, r *http.Request) {
	h.dealList(w, r, view.DealForm{Currency: "USD"}, nil)
}

func (h *Handlers) dealList(w http.ResponseWriter, r *http.Request, f view.DealForm, errs view.Errors) {
	p := principal(r)
	q := r.URL.Query()
	v := view.DealListView{Filter: strings.TrimSpace(q.Get("filter")), Sort: q.Get("sort"), Form: f, Errors: errs}
	if v.Sort == "" {
		v.Sort = "-created_at"
	}
	err := h.read(r.Context(), func(tx *store.Tx) error {
		lq := records.ListQuery{Filter: v.Filter, Sort: v.Sort, Cursor: q.Get("cursor"), Limit: 50}
		page, err := deals.QueryDeals(tx, p, lq)
		if crm.ErrorCode(err) == crm.Invalid {
			v.FilterErr = firstFieldMessage(err)
			page, err = deals.QueryDeals(tx, p, records.ListQuery{Limit: 50})
		}
		if err != nil {
			return err
		}
		owners, err := ownerNames(tx, p.WorkspaceID)
		v.Rows = dealRows(page.Items, owners, tx.Now)
		if page.Next != "" {
			v.Next = "/deals?filter=" + urlQuery(v.Filter) + "&sort=" + urlQuery(v.Sort) + "&cursor=" + urlQuery(page.Next)
		}
		if q.Get("cursor") == "" {
			v.Total = fmt.Sprintf("%d deals", page.Total)
			if !page.TotalExact {
				v.Total = fmt.Sprintf("%d+ deals", page.Total)
			}
		}
		if len(errs) > 0 {
			v.Form.ContactName, v.Form.CompanyName = pickedContact(tx, p, f.ContactID), pickedCompany(tx, p, f.CompanyID)
		}
		ps, perr := deals.ListPipelines(tx, p.WorkspaceID)
		for _, pl := range ps {
			v.Pipelines = append(v.Pipelines, view.Option{Value: pl.ID.String(), Label: pl.Name})
		}
		if err == nil {
			err = perr
		}
		return err
	})
	if err != nil {
		h.Errs.Error(w, r, err)
		return
	}
	status := http.StatusOK
	if len(errs) > 0 {
		status = http.StatusUnprocessableEntity
	}
	h.render(w, r, status, view.DealListPage(h.shell(w, r, "Deals", "pipeline"), v))
}

func dealRows(ds []deals.Deal, owners map[crm.ID]string, now time.Time) []view.DealRow {
	var out []view.DealRow
	for _, d := range ds {
		out = append(out, view.DealRow{ID: d.ID.String(), Title: d.Title, Value: crm.FormatMoney(d.Value, d.Currency),
			Stage: d.StageName, Status: d.Status, Company: d.CompanyName, Owner: owners[d.OwnerID], Close: d.ExpectedClose,
			Rotting: d.Rotting(now)})
	}
	return out
}

// DealCreate creates a deal from the list's form (title, value, currency,
// pipeline; a contact and a company, both optional) and opens it.
func (h *Handlers) DealCreate(w http.ResponseWriter, r *http.Request) {
	p := principal(r)
	f := view.DealForm{Title: form(r, "title"), Value: form(r, "value"), Currency: form(r, "currency"), PipelineID: form(r, "pipeline_id"),
		ContactID: form(r, "contact_id"), CompanyID: form(r, "company_id")}
	var d deals.Deal
	err := h.write(r.Context(), func(tx *store.Tx) error {
		in := deals.NewDeal{Title: f.Title, ValueDecimal: f.Value, Currency: f.Currency}
		fe := crm.FieldErrors{}
		for _, x := range []struct {
			key string
			dst *crm.ID
		}{{"pipeline_id", &in.PipelineID}, {"contact_id", &in.ContactID}, {"company_id", &in.CompanyID}} {
			var err error
			if *x.dst, err = idValue(x.key, r.PostFormValue(x.key)); err != nil {
				fe.Add(x.key, firstFieldMessage(err))
			}
		}
		if err := fe.Err(); err != nil {
			return err
		}
		var err error
		d, err = deals.CreateDeal(tx, p, in)
		return err
	})
	if crm.ErrorCode(err) == crm.Invalid {
		h.dealList(w, r, f, crm.ErrorFields(err))
		return
	}
	if err != nil {
		h.Errs.Error(w, r, err)
		return
	}
	http.Redirect(w, r, "/deals/"+d.ID.String(), http.StatusSeeOther)
}

// DealsPanel answers the "Deals" panel of a contact or company page.
func (h *Handlers) DealsPanel(object string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		p := principal(r)
		id, err := crm.ParseID(r.PathValue("id"))
		if err != nil {
			h.Errs.Error(w, r, crm.Errorf(crm.NotFound, "No such %s.", object))
			return
		}
		var rows []view.DealRow
		err = h.read(r.Context(), func(tx *store.Tx) error {
			var ds []deals.Deal
			var err error
			if object == "contact" {
				if _, err = records.ViewContact(tx, p, id); err == nil {
					ds, err = deals.ContactDeals(tx, p, id)
				}
			} else {
				if _, err = records.ViewCompany(tx, p, id); err == nil {
					ds, err = deals.CompanyDeals(tx, p, id)
				}
			}
			if err != nil {
				return err
			}
			owners, err := ownerNames(tx, p.WorkspaceID)
			rows = dealRows(ds, owners, tx.Now)
			return err
		})
		if err != nil {
			h.Errs.Error(w, r, err)
			return
		}
		h.render(w, r, http.StatusOK, view.DealsPanelBody(rows))
	}
}
