package ui

import (
	"net/http"

	"github.com/tandemcrm/tandem/internal/account"
	"github.com/tandemcrm/tandem/internal/store"
	"github.com/tandemcrm/tandem/internal/web/view"
)

// SetupShow shows the first-run form for a setup link printed by serve.
func (h *Handlers) SetupShow(w http.ResponseWriter, r *http.Request) {
	var need bool
	if err := h.read(r.Context(), func(tx *store.Tx) (err error) { need, err = account.NeedsSetup(tx); return err }); err != nil {
		h.Errs.Error(w, r, err)
		return
	}
	v := view.SetupView{Token: r.URL.Query().Get("token"), AlreadySet: !need}
	status := http.StatusOK
	if need && v.Token == "" {
		v.BadToken, status = true, http.StatusNotFound
	}
	h.render(w, r, status, view.SetupPage(v, h.Assets.URL))
}
