package ui

import (
	"net/http"

	"github.com/tandemcrm/tandem/internal/account"
	"github.com/tandemcrm/tandem/internal/crm"
	"github.com/tandemcrm/tandem/internal/store"
	"github.com/tandemcrm/tandem/internal/web/view"
)

// InviteShow is the page an invitation link opens.
func (h *Handlers) InviteShow(w http.ResponseWriter, r *http.Request) {
	h.renderAccept(w, r, http.StatusOK, view.AcceptView{Token: r.URL.Query().Get("token")})
}

func (h *Handlers) renderAccept(w http.ResponseWriter, r *http.Request, status int, v view.AcceptView) {
	err := h.read(r.Context(), func(tx *store.Tx) error {
		inv, _, err := account.FindInvitation(tx, v.Token)
		if err != nil {
			return err
		}
		v.Workspace, v.Email, v.Role = inv.Workspace, inv.Email, string(inv.Role)
		v.Existing, err = account.ExistingUser(tx, inv.Email)
		return err
	})
	if crm.ErrorCode(err) == crm.NotFound {
		v.BadToken, status = true, http.StatusNotFound
	} else if err != nil {
		h.Errs.Error(w, r, err)
		return
	}
	h.render(w, r, status, view.AcceptPage(v, h.Assets.URL))
}

// InviteAccept joins the workspace and signs the person in.
func (h *Handlers) InviteAccept(w http.ResponseWriter, r *http.Request) {
	token, name := form(r, "token"), form(r, "name")
	client := account.Client{IP: clientIP(r), UserAgent: r.UserAgent()}
	var session string
	err := h.write(r.Context(), func(tx *store.Tx) error {
		u, ws, err := account.AcceptInvite(tx, token, name, r.PostFormValue("password"))
		if err != nil {
			return err
		}
		if session, err = account.CreateSession(tx, u.ID, ws, client.IP, client.UserAgent); err != nil {
			return err
		}
		return account.NoteSignIn(tx, u.ID, ws, client)
	})
	if crm.ErrorCode(err) == crm.Invalid {
		h.renderAccept(w, r, http.StatusUnprocessableEntity, view.AcceptView{Token: token, Name: name, Errors: crm.ErrorFields(err)})
		return
	}
	if crm.ErrorCode(err) == crm.NotFound {
		h.renderAccept(w, r, http.StatusNotFound, view.AcceptView{Token: token})
		return
	}
	if err != nil {
		h.Errs.Error(w, r, err)
		return
	}
	h.setSessionCookie(w, r, session)
	h.flash(w, "ok", "Welcome aboard!")
	http.Redirect(w, r, "/", http.StatusSeeOther)
}
