package ui

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/tandemcrm/tandem/internal/account"
	"github.com/tandemcrm/tandem/internal/crm"
	"github.com/tandemcrm/tandem/internal/store"
	"github.com/tandemcrm/tandem/internal/web/respond"
)

// LoadSession puts the signed-in principal, if any, into the request context.
func (h *Handlers) LoadSession(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		c, err := r.Cookie(account.SessionCookie)
		if err != nil || c.Value == "" || strings.HasPrefix(r.URL.Path, "/assets/") || strings.HasPrefix(r.URL.Path, "/api/") {
			next.ServeHTTP(w, r)
			return
		}
		var p crm.Principal
		var due bool
		err = h.read(r.Context(), func(tx *store.Tx) (err error) {
			p, due, err = account.LookupSession(tx, c.Value)
			return err
		})
		if err != nil {
			if crm.ErrorCode(err) != crm.Unauthorized {
				h.Errs.Error(w, r, err)
				return
			}
			h.clearSessionCookie(w, r) // expired or revoked: forget it
			next.ServeHTTP(w, r)
			return
		}
		if due {
			ctx := context.WithoutCancel(r.Context())
			if err := h.write(ctx, func(tx *store.Tx) error { return account.TouchSession(tx, c.Value) }); err != nil {
				h.Log.Warn("touch session", "err", err)
			}
		}
		next.ServeHTTP(w, r.WithContext(crm.WithPrincipal(r.Context(), p)))
	})
}

// RequireUser sends anonymous browsers to the sign-in page (and back after),
// and answers JSON clients with 401.
func (h *Handlers) RequireUser(next http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if p, ok := crm.PrincipalFrom(r.Context()); ok {
			if p.Require2FA && !p.TwoFactor && !twoFactorSetupPath(r.URL.Path) {
				h.flash(w, "error", "Your workspace requires two-factor sign-in. Set it up to continue.")
				respond.Redirect(w, r, "/settings/security")
				return
			}
			next(w, r)
			return
		}
		if respond.WantsJSON(r) {
			h.Errs.Error(w, r, crm.Errorf(crm.Unauthorized, "Please sign in."))
			return
		}
		target := "/login"
		if r.Method == http.MethodGet && r.URL.Path != "/" {
			target += "?next=" + url.QueryEscape(r.URL.RequestURI())
		}
		respond.Redirect(w, r, target)
	}
}

func (h *Handlers) setSessionCookie(w http.ResponseWriter, r *http.Request, token string) {
	h.setSessionCookieFor(w, r, token, true)
}

// setSessionCookieFor sets the session cookie; without "remember me" it
// lasts until the browser closes (the server-side limits apply either way).
func (h *Handlers) setSessionCookieFor(w http.ResponseWriter, r *http.Request, token string, remember bool) {
	c := &http.Cookie{Name: account.SessionCookie, Value: token, Path: "/", HttpOnly: true, SameSite: http.SameSiteLaxMode, Secure: h.secure(r)}
	if remember {
		c.Expires = time.Now().Add(account.AbsoluteTimeout)
	}
	http.SetCookie(w, c)
}

func (h *Handlers) clearSessionCookie(w http.ResponseWriter, r *http.Request) {
	http.SetCookie(w, &http.Cookie{Name: account.SessionCookie, Path: "/", MaxAge: -1, HttpOnly: true,
		SameSite: http.SameSiteLaxMode, Secure: h.secure(r)})
}

// secure tells whether the session cookie must only travel over HTTPS: when
// the public URL says so (TLS ends at a proxy) or this connection is TLS.
func (h *Handlers) secure(r *http.Request) bool { return h.SecureCookies || r.TLS != nil }

// safeNext keeps post-sign-in redirects on this site.
func safeNext(next string) string {
	if !strings.HasPrefix(next, "/") || strings.HasPrefix(next, "//") || strings.HasPrefix(next, "/\\") {
		return "/"
	}
	return next
}

// twoFactorSetupPath names the pages a member who must set up a second
// factor may still use.
func twoFactorSetupPath(path string) bool {
	return path == "/settings/security" || strings.HasPrefix(path, "/settings/2fa/") || path == "/logout"
}
