package ui

import (
	"net/http"

	"github.com/tandemcrm/tandem/internal/account"
	"github.com/tandemcrm/tandem/internal/crm"
	"github.com/tandemcrm/tandem/internal/store"
	"github.com/tandemcrm/tandem/internal/web/view"
)

// SetupSave creates the first workspace and its owner, then signs them in.
func (h *Handlers) SetupSave(w http.ResponseWriter, r *http.Request) {
	in := account.SetupInput{Token: form(r, "token"), Workspace: form(r, "workspace"),
		NewUser: account.NewUser{Name: form(r, "name"), Email: form(r, "email"), Password: r.PostFormValue("password")}}
	var token string
	err := h.write(r.Context(), func(tx *store.Tx) error {
		ws, u, err := account.Setup(tx, in)
		if err != nil {
			return err
		}
		token, err = account.CreateSession(tx, u.ID, ws.ID, clientIP(r), r.UserAgent())
		return err
	})
	if err != nil {
		v := view.SetupView{Token: in.Token, Workspace: in.Workspace, Name: in.Name, Email: in.Email,
			Errors: crm.ErrorFields(err)}
		switch crm.ErrorCode(err) {
		case crm.Invalid:
			h.render(w, r, http.StatusUnprocessableEntity, view.SetupPage(v, h.Assets.URL))
		case crm.NotFound:
			v.BadToken = true
			h.render(w, r, http.StatusNotFound, view.SetupPage(v, h.Assets.URL))
		case crm.Conflict:
			v.AlreadySet = true
			h.render(w, r, http.StatusConflict, view.SetupPage(v, h.Assets.URL))
		default:
			h.Errs.Error(w, r, err)
		}
		return
	}
	h.setSessionCookie(w, r, token)
	h.flash(w, "ok", "Your workspace is ready. Welcome to Tandem!")
	http.Redirect(w, r, "/", http.StatusSeeOther)
}
