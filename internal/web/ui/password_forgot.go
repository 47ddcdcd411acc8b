package ui

import (
	"net/http"

	"github.com/tandemcrm/tandem/internal/account"
	"github.com/tandemcrm/tandem/internal/store"
	"github.com/tandemcrm/tandem/internal/sysmail"
	"github.com/tandemcrm/tandem/internal/web/view"
)

// ForgotShow asks for the email of a forgotten password.
func (h *Handlers) ForgotShow(w http.ResponseWriter, r *http.Request) {
	h.render(w, r, http.StatusOK, view.ForgotPage(view.ForgotView{}, h.Assets.URL))
}

// ForgotSave mails a reset link if the account exists, and answers the same
// either way.
func (h *Handlers) ForgotSave(w http.ResponseWriter, r *http.Request) {
	email := form(r, "email")
	if _, ok := account.NormalizeEmail(email); !ok {
		h.render(w, r, http.StatusUnprocessableEntity, view.ForgotPage(view.ForgotView{Email: email,
			Error: "Enter the email address you sign in with."}, h.Assets.URL))
		return
	}
	err := h.write(r.Context(), func(tx *store.Tx) error {
		token, u, err := account.RequestPasswordReset(tx, email)
		if err != nil || token == "" {
			return err
		}
		link := h.BaseURL + "/reset?token=" + token
		_, err = sysmail.Queue(tx, h.queue(), sysmail.Message{To: u.Email, Subject: "Reset your Tandem password",
			Text: "Hello " + u.Name + ",\n\nSomeone (hopefully you) asked to reset the password of your Tandem account.\n" +
				"Choose a new one here — the link works once, for an hour:\n\n" + link + "\n\n" +
				"If it was not you, ignore this message: your password stays as it is.\n"}, "")
		return err
	})
	if err != nil {
		h.Errs.Error(w, r, err)
		return
	}
	h.render(w, r, http.StatusOK, view.ForgotPage(view.ForgotView{Email: email, Sent: true}, h.Assets.URL))
}
