package ui

import (
	"encoding/base64"
	"net/http"
	"time"

	"github.com/tandemcrm/tandem/internal/account"
	"github.com/tandemcrm/tandem/internal/crm"
	"github.com/tandemcrm/tandem/internal/store"
	"github.com/tandemcrm/tandem/internal/web/view"
)

// challengeCookie holds the token of a sign-in that still needs its second
// factor; it is not a session and opens nothing else.
const challengeCookie = "tandem_2fa"

// TwoFactorStart shows a new secret to scan.
func (h *Handlers) TwoFactorStart(w http.ResponseWriter, r *http.Request) {
	p := principal(r)
	var e account.Enrolment
	err := h.write(r.Context(), func(tx *store.Tx) (err error) {
		e, err = account.StartTOTP(tx, p.UserID, p.Email, h.Key)
		return err
	})
	if err != nil {
		h.Errs.Error(w, r, err)
		return
	}
	h.render(w, r, http.StatusOK, view.EnrolPage(h.shell(w, r, "Settings", "settings"),
		view.EnrolView{QR: "data:image/png;base64," + base64.StdEncoding.EncodeToString(e.QRPNG), Secret: e.Secret}))
}

// TwoFactorConfirm turns the factor on with a first code and shows the
// recovery codes once.
func (h *Handlers) TwoFactorConfirm(w http.ResponseWriter, r *http.Request) {
	p := principal(r)
	var codes []string
	err := h.write(r.Context(), func(tx *store.Tx) (err error) {
		codes, err = account.ConfirmTOTP(tx, p, form(r, "code"), h.Key, account.Client{IP: clientIP(r), UserAgent: r.UserAgent()})
		return err
	})
	if crm.ErrorCode(err) == crm.Invalid {
		var e account.Enrolment
		if err := h.read(r.Context(), func(tx *store.Tx) (err error) { e, err = account.PendingTOTP(tx, p.UserID, p.Email, h.Key); return err }); err != nil {
			h.Errs.Error(w, r, err)
			return
		}
		h.render(w, r, http.StatusUnprocessableEntity, view.EnrolPage(h.shell(w, r, "Settings", "settings"), view.EnrolView{
			QR: "data:image/png;base64," + base64.StdEncoding.EncodeToString(e.QRPNG), Secret: e.Secret,
			Error: "That code is not right. Check the time on your phone and type the current code."}))
		return
	}
	if err != nil {
		h.Errs.Error(w, r, err)
		return
	}
	h.render(w, r, http.StatusOK, view.RecoveryCodesPage(h.shell(w, r, "Settings", "settings"), codes))
}

// TwoFactorDisable turns the factor off after the password.
func (h *Handlers) TwoFactorDisable(w http.ResponseWriter, r *http.Request) {
	p := principal(r)
	err := h.write(r.Context(), func(tx *store.Tx) error {
		return account.DisableTOTP(tx, p, r.PostFormValue("password"), account.Client{IP: clientIP(r), UserAgent: r.UserAgent()})
	})
	if crm.ErrorCode(err) == crm.Invalid {
		h.renderSecurity(w, r, http.StatusUnprocessableEntity, crm.ErrorFields(err))
		return
	}
	if err != nil {
		h.Errs.Error(w, r, err)
		return
	}
	h.flash(w, "ok", "Two-factor sign-in is off.")
	http.Redirect(w, r, "/settings/security", http.StatusSeeOther)
}

// TwoFactorRequire lets an owner demand a second factor from everyone.
func (h *Handlers) TwoFactorRequire(w http.ResponseWriter, r *http.Request) {
	on := form(r, "on") == "true"
	err := h.write(r.Context(), func(tx *store.Tx) error { return account.SetRequire2FA(tx, principal(r), on) })
	if err != nil {
		h.Errs.Error(w, r, err)
		return
	}
	msg := "Two-factor sign-in is no longer required."
	if on {
		msg = "Everyone in this workspace now needs two-factor sign-in."
	}
	h.flash(w, "ok", msg)
	http.Redirect(w, r, "/settings/security", http.StatusSeeOther)
}

// SecondFactorShow asks for the code after a correct password.
func (h *Handlers) SecondFactorShow(w http.ResponseWriter, r *http.Request) {
	h.render(w, r, http.StatusOK, view.SecondFactorPage(safeNext(r.URL.Query().Get("next")), "", h.Assets.URL))
}

// SecondFactorSave checks the code and finishes signing in. Wrong codes
// count against the account and the address like wrong passwords: a stolen
// password must not buy unlimited guesses at six digits.
func (h *Handlers) SecondFactorSave(w http.ResponseWriter, r *http.Request) {
	next := safeNext(form(r, "next"))
	c, err := r.Cookie(challengeCookie)
	if err != nil || len(c.Value) < 2 {
		http.Redirect(w, r, "/login", http.StatusSeeOther)
		return
	}
	remember, challenge := c.Value[0] == '1', c.Value[1:]
	client := h.client(r)
	var token, email, device string
	err = h.write(r.Context(), func(tx *store.Tx) error {
		u, ws, err := account.ChallengeUser(tx, challenge)
		if err != nil {
			return err
		}
		if email, err = account.ChallengeEmail(tx, challenge); err != nil {
			return err
		}
		if err := h.signInGate(tx, r, email); err != nil {
			return err
		}
		if err := account.VerifySecondFactor(tx, u, form(r, "code"), h.Key); err != nil {
			return err
		}
		if err := account.SpendChallenge(tx, challenge); err != nil {
			return err
		}
		if device, err = h.signedIn(tx, r, u, email); err != nil {
			return err
		}
		if token, err = account.CreateSession(tx, u, ws, client.IP, client.UserAgent); err != nil {
			return err
		}
		return account.NoteSignIn(tx, u, ws, client)
	})
	switch crm.ErrorCode(err) {
	case "":
		http.SetCookie(w, &http.Cookie{Name: challengeCookie, Path: "/", MaxAge: -1, HttpOnly: true, SameSite: http.SameSiteLaxMode})
		h.setDeviceCookie(w, r, device)
		h.setSessionCookieFor(w, r, token, remember)
		http.Redirect(w, r, next, http.StatusSeeOther)
	case crm.Invalid:
		h.signInFailed(r, email, true)
		h.render(w, r, http.StatusUnauthorized, view.SecondFactorPage(next, crm.ErrorFields(err)["code"], h.Assets.URL))
	case crm.TooMany:
		h.render(w, r, http.StatusTooManyRequests, view.SecondFactorPage(next, crm.ErrorMessage(err), h.Assets.URL))
	case crm.Unauthorized:
		h.flash(w, "error", crm.ErrorMessage(err))
		http.Redirect(w, r, "/login", http.StatusSeeOther)
	default:
		h.Errs.Error(w, r, err)
	}
}

// startChallenge sends a user whose password was right to the code page.
func (h *Handlers) startChallenge(w http.ResponseWriter, r *http.Request, token, next string, remember bool) {
	keep := "0"
	if remember {
		keep = "1"
	}
	http.SetCookie(w, &http.Cookie{Name: challengeCookie, Value: keep + token, Path: "/", Expires: time.Now().Add(5 * time.Minute),
		HttpOnly: true, SameSite: http.SameSiteLaxMode, Secure: h.secure(r)})
	http.Redirect(w, r, "/login/2fa?next="+next, http.StatusSeeOther)
}
