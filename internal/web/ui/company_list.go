package ui

import (
	"net/http"

	"github.com/tandemcrm/tandem/internal/crm"
	"github.com/tandemcrm/tandem/internal/records"
	"github.com/tandemcrm/tandem/internal/store"
	"github.com/tandemcrm/tandem/internal/web/view"
)

const pageSize = 50

// CompanyList shows a page of companies, newest first.
func (h *Handlers) CompanyList(w http.ResponseWriter, r *http.Request) {
	h.renderCompanies(w, r, http.StatusOK, view.CompanyForm{})
}

// renderCompanies renders the list page around form f (blank, or as typed
// with its messages), so a refused plain form post still shows the table.
func (h *Handlers) renderCompanies(w http.ResponseWriter, r *http.Request, status int, f view.CompanyForm) {
	p := principal(r)
	after := cursor(r)
	var cs []records.Company
	err := h.read(r.Context(), func(tx *store.Tx) (err error) {
		cs, err = records.ListCompanies(tx, p.WorkspaceID, after, pageSize+1)
		return err
	})
	if err != nil {
		h.Errs.Error(w, r, err)
		return
	}
	v := view.CompaniesView{Form: f}
	if len(cs) > pageSize {
		cs = cs[:pageSize]
		v.Next = "/companies?after=" + cs[len(cs)-1].ID.String()
	}
	for _, c := range cs {
		v.Rows = append(v.Rows, companyRow(c, false))
	}
	h.render(w, r, status, view.CompaniesPage(h.shell(w, r, "Companies", "companies"), v))
}

func companyRow(c records.Company, isNew bool) view.CompanyRow {
	return view.CompanyRow{ID: c.ID.String(), Name: c.Name, Domain: c.Domain, Industry: c.Industry, Size: c.Size,
		Created: c.CreatedAt.Format("Jan 2, 2006"), New: isNew}
}

// cursor reads the keyset cursor ?after=ID; a malformed one starts over.
func cursor(r *http.Request) crm.ID {
	id, err := crm.ParseID(r.URL.Query().Get("after"))
	if err != nil {
		return 0
	}
	return id
}
