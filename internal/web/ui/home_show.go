package ui

import (
	"net/http"

	"github.com/tandemcrm/tandem/internal/records"
	"github.com/tandemcrm/tandem/internal/store"
	"github.com/tandemcrm/tandem/internal/web/view"
)

// recentOnHome is how many of the newest companies and contacts home lists.
const recentOnHome = 6

// HomeShow is the dashboard: counts and what was added last.
func (h *Handlers) HomeShow(w http.ResponseWriter, r *http.Request) {
	if r.URL.Path != "/" {
		h.NotFound(w, r)
		return
	}
	p := principal(r)
	var c records.Counts
	var cos []records.Company
	var cts []records.Contact
	err := h.read(r.Context(), func(tx *store.Tx) (err error) {
		if c, err = records.CountAll(tx, p.WorkspaceID); err != nil {
			return err
		}
		if cos, err = records.ListCompanies(tx, p.WorkspaceID, 0, recentOnHome); err != nil {
			return err
		}
		cts, err = records.ListContacts(tx, p.WorkspaceID, 0, recentOnHome)
		return err
	})
	if err != nil {
		h.Errs.Error(w, r, err)
		return
	}
	v := view.HomeView{Contacts: c.Contacts, Companies: c.Companies, OpenDeals: c.OpenDeals}
	for _, co := range cos {
		v.RecentCompanies = append(v.RecentCompanies, companyRow(co, false))
	}
	for _, ct := range cts {
		v.RecentContacts = append(v.RecentContacts, contactRow(ct, false))
	}
	h.render(w, r, http.StatusOK, view.HomePage(h.shell(w, r, "Home", "home"), v))
}
