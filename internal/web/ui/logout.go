package ui

import (
	"net/http"

	"github.com/tandemcrm/tandem/internal/account"
	"github.com/tandemcrm/tandem/internal/crm"
	"github.com/tandemcrm/tandem/internal/store"
)

// Logout ends the session on the server and in the browser.
func (h *Handlers) Logout(w http.ResponseWriter, r *http.Request) {
	if c, err := r.Cookie(account.SessionCookie); err == nil && c.Value != "" {
		err := h.write(r.Context(), func(tx *store.Tx) error {
			if p, ok := crm.PrincipalFrom(r.Context()); ok {
				if err := account.NoteSignOut(tx, p, account.Client{IP: clientIP(r), UserAgent: r.UserAgent()}); err != nil {
					return err
				}
			}
			return account.DeleteSession(tx, c.Value)
		})
		if err != nil {
			h.Errs.Error(w, r, err)
			return
		}
	}
	h.clearSessionCookie(w, r)
	h.flash(w, "ok", "You are signed out.")
	http.Redirect(w, r, "/login", http.StatusSeeOther)
}
