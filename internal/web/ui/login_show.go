package ui

import (
	"net/http"

	"github.com/tandemcrm/tandem/internal/crm"
	"github.com/tandemcrm/tandem/internal/web/view"
)

// LoginShow shows the sign-in form (or goes home when already signed in).
func (h *Handlers) LoginShow(w http.ResponseWriter, r *http.Request) {
	if _, ok := crm.PrincipalFrom(r.Context()); ok {
		http.Redirect(w, r, "/", http.StatusSeeOther)
		return
	}
	h.render(w, r, http.StatusOK, view.LoginPage(view.LoginView{SSOName: h.SSOName, Next: safeNext(r.URL.Query().Get("next")),
		Flashes: h.takeFlashes(w, r)}, h.Assets.URL))
}
