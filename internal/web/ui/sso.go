package ui

import (
	"net/http"
	"strings"
	"time"

	"github.com/tandemcrm/tandem/internal/account"
	"github.com/tandemcrm/tandem/internal/crm"
	"github.com/tandemcrm/tandem/internal/ids"
	"github.com/tandemcrm/tandem/internal/store"
)

// ssoCookie carries state, nonce and where to go afterwards through the
// round trip to the provider.
const ssoCookie = "tandem_sso"

// SSOStart sends the browser to the OpenID Connect provider.
func (h *Handlers) SSOStart(w http.ResponseWriter, r *http.Request) {
	if h.SSO == nil {
		h.NotFound(w, r)
		return
	}
	state, nonce := ids.Token(18), ids.Token(18)
	to, err := h.SSO.AuthURL(r.Context(), state, nonce)
	if err != nil {
		h.Log.ErrorContext(r.Context(), "sso", "err", err)
		h.flash(w, "error", "Single sign-on is not available right now. Sign in with your password.")
		http.Redirect(w, r, "/login", http.StatusSeeOther)
		return
	}
	http.SetCookie(w, &http.Cookie{Name: ssoCookie, Value: state + "." + nonce + "." + safeNext(r.URL.Query().Get("next")),
		Path: "/login/sso", Expires: time.Now().Add(10 * time.Minute), HttpOnly: true, SameSite: http.SameSiteLaxMode, Secure: h.secure(r)})
	http.Redirect(w, r, to, http.StatusFound)
}

// SSOCallback finishes the sign-in. It is a GET because the protocol says
// so; the state cookie makes sure it answers a sign-in this browser began.
func (h *Handlers) SSOCallback(w http.ResponseWriter, r *http.Request) {
	c, err := r.Cookie(ssoCookie)
	parts := []string{}
	if err == nil {
		parts = strings.SplitN(c.Value, ".", 3)
	}
	http.SetCookie(w, &http.Cookie{Name: ssoCookie, Path: "/login/sso", MaxAge: -1, HttpOnly: true})
	fail := func(msg string) {
		h.flash(w, "error", msg)
		http.Redirect(w, r, "/login", http.StatusSeeOther)
	}
	if h.SSO == nil || len(parts) != 3 || r.URL.Query().Get("state") != parts[0] || parts[0] == "" {
		fail("That sign-in did not start here or took too long. Try again.")
		return
	}
	if e := r.URL.Query().Get("error"); e != "" {
		fail("The provider did not sign you in (" + e + ").")
		return
	}
	id, err := h.SSO.Exchange(r.Context(), r.URL.Query().Get("code"), parts[1])
	if err != nil {
		h.Log.WarnContext(r.Context(), "sso exchange", "err", err)
		fail("The provider's answer could not be verified. Try again.")
		return
	}
	client := account.Client{IP: clientIP(r), UserAgent: r.UserAgent()}
	var token, challenge string
	err = h.write(r.Context(), func(tx *store.Tx) error {
		u, ws, err := account.SignInSSO(tx, id.Email, id.EmailVerified)
		if err != nil {
			return err
		}
		if on, err := account.TwoFactorOn(tx, u.ID); err != nil {
			return err
		} else if on {
			challenge, err = account.CreateChallenge(tx, u.ID, ws)
			return err
		}
		if token, err = account.CreateSession(tx, u.ID, ws, client.IP, client.UserAgent); err != nil {
			return err
		}
		return account.NoteSignIn(tx, u.ID, ws, client)
	})
	if code := crm.ErrorCode(err); code == crm.Unauthorized || code == crm.Forbidden {
		fail(crm.ErrorMessage(err))
		return
	}
	if err != nil {
		h.Errs.Error(w, r, err)
		return
	}
	if challenge != "" {
		h.startChallenge(w, r, challenge, parts[2], true)
		return
	}
	h.setSessionCookie(w, r, token)
	http.Redirect(w, r, parts[2], http.StatusSeeOther)
}
