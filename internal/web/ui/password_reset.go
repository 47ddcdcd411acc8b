package ui

import (
	"net/http"

	"github.com/tandemcrm/tandem/internal/account"
	"github.com/tandemcrm/tandem/internal/crm"
	"github.com/tandemcrm/tandem/internal/store"
	"github.com/tandemcrm/tandem/internal/web/view"
)

// ResetShow asks for a new password when the reset link is still good.
func (h *Handlers) ResetShow(w http.ResponseWriter, r *http.Request) {
	token := r.URL.Query().Get("token")
	err := h.read(r.Context(), func(tx *store.Tx) error { _, err := account.CheckResetToken(tx, token); return err })
	if crm.ErrorCode(err) == crm.NotFound {
		h.render(w, r, http.StatusNotFound, view.ResetPage(view.ResetView{BadToken: true}, h.Assets.URL))
		return
	}
	if err != nil {
		h.Errs.Error(w, r, err)
		return
	}
	h.render(w, r, http.StatusOK, view.ResetPage(view.ResetView{Token: token}, h.Assets.URL))
}

// ResetSave sets the new password and sends the person to sign in.
func (h *Handlers) ResetSave(w http.ResponseWriter, r *http.Request) {
	token := form(r, "token")
	client := account.Client{IP: clientIP(r), UserAgent: r.UserAgent()}
	err := h.write(r.Context(), func(tx *store.Tx) error {
		_, err := account.ResetPassword(tx, token, r.PostFormValue("password"), client)
		return err
	})
	switch crm.ErrorCode(err) {
	case "":
		h.flash(w, "ok", "Your password is changed. Sign in with it.")
		http.Redirect(w, r, "/login", http.StatusSeeOther)
	case crm.Invalid:
		h.render(w, r, http.StatusUnprocessableEntity, view.ResetPage(view.ResetView{Token: token, Errors: crm.ErrorFields(err)}, h.Assets.URL))
	case crm.NotFound:
		h.render(w, r, http.StatusNotFound, view.ResetPage(view.ResetView{BadToken: true}, h.Assets.URL))
	default:
		h.Errs.Error(w, r, err)
	}
}
