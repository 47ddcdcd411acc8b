package ui

import (
	"net/http"

	"github.com/tandemcrm/tandem/internal/crm"
	"github.com/tandemcrm/tandem/internal/records"
	"github.com/tandemcrm/tandem/internal/store"
	"github.com/tandemcrm/tandem/internal/web/view"
)

// CompanyShow is a company's record page with its timeline.
func (h *Handlers) CompanyShow(w http.ResponseWriter, r *http.Request) {
	p := principal(r)
	id, err := crm.ParseID(r.PathValue("id"))
	if err != nil {
		h.Errs.Error(w, r, err)
		return
	}
	var c records.Company
	var tl []records.Entry
	err = h.read(r.Context(), func(tx *store.Tx) error {
		if c, err = records.GetCompany(tx, p.WorkspaceID, id); err != nil {
			return err
		}
		tl, err = records.Timeline(tx, p.WorkspaceID, "company", id, 200)
		return err
	})
	if err != nil {
		h.Errs.Error(w, r, err)
		return
	}
	v := view.CompanyView{Company: companyRow(c, false)}
	for _, e := range tl {
		v.Timeline = append(v.Timeline, view.TimelineEntry{When: e.At.Format("Jan 2, 2006 15:04"), Who: e.Who,
			Action: string(e.Action), Summary: e.Summary})
	}
	h.render(w, r, http.StatusOK, view.CompanyPage(h.shell(w, r, c.Name, "companies"), v))
}
