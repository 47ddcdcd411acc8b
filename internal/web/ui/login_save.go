package ui

import (
	"net/http"

	"github.com/tandemcrm/tandem/internal/account"
	"github.com/tandemcrm/tandem/internal/crm"
	"github.com/tandemcrm/tandem/internal/store"
	"github.com/tandemcrm/tandem/internal/web/view"
)

// LoginSave checks the credentials and starts a session, or a second-factor
// challenge when the user has one.
func (h *Handlers) LoginSave(w http.ResponseWriter, r *http.Request) {
	email, next := form(r, "email"), safeNext(form(r, "next"))
	client := h.client(r)
	var token, challenge, device string
	err := h.write(r.Context(), func(tx *store.Tx) error {
		if err := h.signInGate(tx, r, email); err != nil {
			return err
		}
		u, ws, err := account.SignIn(tx, email, r.PostFormValue("password"))
		if err != nil {
			return err
		}
		// With a second factor, the password only earns a short challenge;
		// the failure counter is cleared once the code is right too.
		if on, err := account.TwoFactorOn(tx, u.ID); err != nil {
			return err
		} else if on {
			challenge, err = account.CreateChallenge(tx, u.ID, ws)
			return err
		}
		if device, err = h.signedIn(tx, r, u.ID, email); err != nil {
			return err
		}
		if token, err = account.CreateSession(tx, u.ID, ws, client.IP, client.UserAgent); err != nil {
			return err
		}
		return account.NoteSignIn(tx, u.ID, ws, client)
	})
	if err != nil {
		code := crm.ErrorCode(err)
		if code != crm.Unauthorized && code != crm.Forbidden && code != crm.TooMany {
			h.Errs.Error(w, r, err)
			return
		}
		h.signInFailed(r, email, code == crm.Unauthorized)
		status := http.StatusUnauthorized
		if code == crm.TooMany {
			status = http.StatusTooManyRequests
		}
		h.render(w, r, status, view.LoginPage(view.LoginView{SSOName: h.SSOName, Email: email, Next: next,
			Error: crm.ErrorMessage(err)}, h.Assets.URL))
		return
	}
	remember := r.PostFormValue("remember") != ""
	if challenge != "" {
		h.startChallenge(w, r, challenge, next, remember)
		return
	}
	h.setDeviceCookie(w, r, device)
	// A new token at every sign-in: a session fixed before sign-in is useless.
	h.setSessionCookieFor(w, r, token, remember)
	http.Redirect(w, r, next, http.StatusSeeOther)
}
