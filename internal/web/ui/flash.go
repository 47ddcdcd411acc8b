package ui

import (
	"encoding/base64"
	"net/http"
	"strings"

	"github.com/tandemcrm/tandem/internal/web/view"
)

// Flashes survive one redirect in a short-lived cookie. The text is ours
// (never user input echoed back), base64-encoded to stay a valid cookie value.
const flashCookie = "tandem_flash"

func (h *Handlers) flash(w http.ResponseWriter, kind, text string) {
	http.SetCookie(w, &http.Cookie{Name: flashCookie, Value: base64.RawURLEncoding.EncodeToString([]byte(kind + "|" + text)),
		Path: "/", MaxAge: 60, HttpOnly: true, SameSite: http.SameSiteLaxMode, Secure: h.SecureCookies})
}

func (h *Handlers) takeFlashes(w http.ResponseWriter, r *http.Request) []view.Flash {
	c, err := r.Cookie(flashCookie)
	if err != nil {
		return nil
	}
	http.SetCookie(w, &http.Cookie{Name: flashCookie, Path: "/", MaxAge: -1, HttpOnly: true, SameSite: http.SameSiteLaxMode, Secure: h.SecureCookies})
	b, err := base64.RawURLEncoding.DecodeString(c.Value)
	if err != nil {
		return nil
	}
	kind, text, ok := strings.Cut(string(b), "|")
	if !ok {
		return nil
	}
	return []view.Flash{{Kind: kind, Text: text}}
}
