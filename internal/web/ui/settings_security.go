package ui

import (
	"net/http"
	"strings"

	"github.com/tandemcrm/tandem/internal/account"
	"github.com/tandemcrm/tandem/internal/crm"
	"github.com/tandemcrm/tandem/internal/store"
	"github.com/tandemcrm/tandem/internal/web/view"
)

// SettingsSecurity shows two-factor sign-in and where the user is signed in.
func (h *Handlers) SettingsSecurity(w http.ResponseWriter, r *http.Request) {
	h.renderSecurity(w, r, http.StatusOK, nil)
}

func (h *Handlers) renderSecurity(w http.ResponseWriter, r *http.Request, status int, errs view.Errors) {
	p := principal(r)
	var list []account.ListedSession
	err := h.read(r.Context(), func(tx *store.Tx) (err error) {
		list, err = account.ListSessions(tx, p.UserID, sessionToken(r))
		return err
	})
	if err != nil {
		h.Errs.Error(w, r, err)
		return
	}
	v := view.SecurityView{TwoFactor: p.TwoFactor, Require2FA: p.Require2FA, IsOwner: p.Role == crm.RoleOwner, Errors: errs}
	for _, s := range list {
		v.Sessions = append(v.Sessions, view.SessionRow{ID: s.ID, Device: describeDevice(s.UserAgent), IP: s.IP,
			LastSeen: s.LastSeenAt.Format("Jan 2, 15:04"), Created: s.CreatedAt.Format("Jan 2, 2006"), Current: s.Current})
	}
	h.render(w, r, status, view.SecurityPage(h.shell(w, r, "Settings", "settings"), v))
}

// SessionRevoke signs out one other device.
func (h *Handlers) SessionRevoke(w http.ResponseWriter, r *http.Request) {
	p := principal(r)
	err := h.write(r.Context(), func(tx *store.Tx) error {
		if err := account.RevokeSession(tx, p.UserID, r.PathValue("id")); err != nil {
			return err
		}
		return account.NoteSessionRevoked(tx, p, account.Client{IP: clientIP(r), UserAgent: r.UserAgent()})
	})
	if err != nil {
		h.Errs.Error(w, r, err)
		return
	}
	h.flash(w, "ok", "That device is signed out.")
	http.Redirect(w, r, "/settings/security", http.StatusSeeOther)
}

// SessionRevokeOthers signs out every other device.
func (h *Handlers) SessionRevokeOthers(w http.ResponseWriter, r *http.Request) {
	p := principal(r)
	err := h.write(r.Context(), func(tx *store.Tx) error {
		if _, err := account.RevokeOtherSessions(tx, p.UserID, sessionToken(r)); err != nil {
			return err
		}
		return account.NoteSessionRevoked(tx, p, account.Client{IP: clientIP(r), UserAgent: r.UserAgent()})
	})
	if err != nil {
		h.Errs.Error(w, r, err)
		return
	}
	h.flash(w, "ok", "Every other device is signed out.")
	http.Redirect(w, r, "/settings/security", http.StatusSeeOther)
}

func sessionToken(r *http.Request) string {
	if c, err := r.Cookie(account.SessionCookie); err == nil {
		return c.Value
	}
	return ""
}

// describeDevice names a browser and system from a User-Agent, roughly.
func describeDevice(ua string) string {
	browser := "Browser"
	for _, b := range []struct{ token, name string }{{"Edg/", "Edge"}, {"Firefox/", "Firefox"}, {"Chrome/", "Chrome"}, {"Safari/", "Safari"}, {"curl/", "curl"}} {
		if strings.Contains(ua, b.token) {
			browser = b.name
			break
		}
	}
	system := ""
	for _, s := range []struct{ token, name string }{{"iPhone", "iPhone"}, {"iPad", "iPad"}, {"Android", "Android"}, {"Windows", "Windows"}, {"Mac OS", "macOS"}, {"Linux", "Linux"}} {
		if strings.Contains(ua, s.token) {
			system = s.name
			break
		}
	}
	if system == "" {
		return browser
	}
	return browser + " on " + system
}

// PasswordChange sets a new password after checking the current one.
func (h *Handlers) PasswordChange(w http.ResponseWriter, r *http.Request) {
	p := principal(r)
	err := h.write(r.Context(), func(tx *store.Tx) error {
		return account.ChangePassword(tx, p, r.PostFormValue("current_password"), r.PostFormValue("new_password"),
			sessionToken(r), account.Client{IP: clientIP(r), UserAgent: r.UserAgent()})
	})
	if crm.ErrorCode(err) == crm.Invalid {
		fields := crm.ErrorFields(err)
		if msg, ok := fields["password"]; ok { // the domain names the new one "password"
			fields["new_password"] = msg
		}
		h.renderSecurity(w, r, http.StatusUnprocessableEntity, fields)
		return
	}
	if err != nil {
		h.Errs.Error(w, r, err)
		return
	}
	h.flash(w, "ok", "Password changed. Other devices are signed out.")
	http.Redirect(w, r, "/settings/security", http.StatusSeeOther)
}
