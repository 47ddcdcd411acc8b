package ui

import (
	"net/http"
	"time"

	"github.com/tandemcrm/tandem/internal/account"
	"github.com/tandemcrm/tandem/internal/crm"
	"github.com/tandemcrm/tandem/internal/store"
)

// deviceCookie marks a browser that completed a sign-in before. It only
// spares that browser the per-account throttle (someone failing against the
// same email elsewhere cannot lock its owner out); the password and second
// factor are still asked.
const deviceCookie = "tandem_device"

func deviceToken(r *http.Request) string {
	if c, err := r.Cookie(deviceCookie); err == nil {
		return c.Value
	}
	return ""
}

// signInGate refuses an attempt while email or the client's address must
// wait, and returns the error to show.
func (h *Handlers) signInGate(tx *store.Tx, r *http.Request, email string) error {
	known, err := account.KnownDevice(tx, email, deviceToken(r))
	if err != nil {
		return err
	}
	wait, err := account.CheckThrottle(tx, email, clientIP(r), known)
	if err != nil {
		return err
	}
	if wait > 0 {
		return account.TooManyAttempts(wait)
	}
	return nil
}

// signedIn finishes a complete sign-in (password and, when on, the second
// factor): the account's failure counter is cleared and this browser becomes
// known. It returns the device token to set with setDeviceCookie.
func (h *Handlers) signedIn(tx *store.Tx, r *http.Request, user crm.ID, email string) (string, error) {
	if err := account.RecordSuccess(tx, email, clientIP(r)); err != nil {
		return "", err
	}
	return account.RememberDevice(tx, user, deviceToken(r))
}

// signInFailed counts a wrong password or code, in its own transaction (the
// attempt's rolled back), and notes it in the audit log.
func (h *Handlers) signInFailed(r *http.Request, email string, counted bool) {
	client := h.client(r)
	err := h.write(r.Context(), func(tx *store.Tx) error {
		if counted {
			if err := account.RecordFailure(tx, email, client.IP); err != nil {
				return err
			}
		}
		return account.NoteSignInFailure(tx, email, client)
	})
	if err != nil {
		h.Log.ErrorContext(r.Context(), "record sign-in failure", "err", err)
	}
}

func (h *Handlers) setDeviceCookie(w http.ResponseWriter, r *http.Request, token string) {
	if token == "" {
		return
	}
	http.SetCookie(w, &http.Cookie{Name: deviceCookie, Value: token, Path: "/login", HttpOnly: true,
		SameSite: http.SameSiteLaxMode, Secure: h.secure(r), Expires: time.Now().Add(180 * 24 * time.Hour)})
}
