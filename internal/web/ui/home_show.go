package ui

import (
	"net/http"

	"github.com/tandemcrm/tandem/internal/records"
	"github.com/tandemcrm/tandem/internal/store"
	"github.com/tandemcrm/tandem/internal/web/view"
)

// HomeShow is the dashboard.
func (h *Handlers) HomeShow(w http.ResponseWriter, r *http.Request) {
	if r.URL.Path != "/" {
		h.NotFound(w, r)
		return
	}
	p := principal(r)
	var c records.Counts
	if err := h.read(r.Context(), func(tx *store.Tx) (err error) { c, err = records.CountAll(tx, p.WorkspaceID); return err }); err != nil {
		h.Errs.Error(w, r, err)
		return
	}
	h.render(w, r, http.StatusOK, view.HomePage(h.shell(w, r, "Home", "home"),
		view.HomeView{Contacts: c.Contacts, Companies: c.Companies, OpenDeals: c.OpenDeals}))
}
