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

// InviteAccept joins the workspace and signs the person in. Someone who
// already has an account proves it with their password, then with their
// second factor when they have one, exactly as at sign-in: the inviter sees
// the link too, and the link alone must never open another person's account.
func (h *Handlers) InviteAccept(w http.ResponseWriter, r *http.Request) {
	token, name := form(r, "token"), form(r, "name")
	client := h.client(r)
	var session, challenge, email string
	var existing bool
	err := h.write(r.Context(), func(tx *store.Tx) error {
		inv, _, err := account.FindInvitation(tx, token)
		if err != nil {
			return err
		}
		email = inv.Email
		if existing, err = account.ExistingUser(tx, email); err != nil {
			return err
		}
		if existing {
			if err := h.signInGate(tx, r, email); err != nil {
				return err
			}
		}
		u, ws, err := account.AcceptInvite(tx, token, name, r.PostFormValue("password"))
		if err != nil {
			return err
		}
		if need, err := account.NeedsSecondFactor(tx, u.ID, ws); err != nil {
			return err
		} else if need == account.AskCode {
			challenge, err = account.CreateChallenge(tx, u.ID, ws)
			return err
		}
		if session, err = account.CreateSession(tx, u.ID, ws, client.IP, client.UserAgent); err != nil {
			return err
		}
		return account.NoteSignIn(tx, u.ID, ws, client)
	})
	switch crm.ErrorCode(err) {
	case "":
	case crm.Invalid:
		if existing {
			h.signInFailed(r, email, true)
		}
		h.renderAccept(w, r, http.StatusUnprocessableEntity, view.AcceptView{Token: token, Name: name, Errors: crm.ErrorFields(err)})
		return
	case crm.TooMany:
		h.renderAccept(w, r, http.StatusTooManyRequests, view.AcceptView{Token: token, Name: name,
			Errors: map[string]string{"password": crm.ErrorMessage(err)}})
		return
	case crm.NotFound:
		h.renderAccept(w, r, http.StatusNotFound, view.AcceptView{Token: token})
		return
	default:
		h.Errs.Error(w, r, err)
		return
	}
	if challenge != "" {
		h.startChallenge(w, r, challenge, "/", false)
		return
	}
	h.setSessionCookie(w, r, session)
	h.flash(w, "ok", "Welcome aboard!")
	http.Redirect(w, r, "/", http.StatusSeeOther)
}
