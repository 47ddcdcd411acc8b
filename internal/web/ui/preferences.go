package ui

import (
	"net/http"
	"strings"

	"github.com/tandemcrm/tandem/internal/audit"
	"github.com/tandemcrm/tandem/internal/consent"
	"github.com/tandemcrm/tandem/internal/crm"
	"github.com/tandemcrm/tandem/internal/store"
	"github.com/tandemcrm/tandem/internal/web/view"
)

// The public preference centre: a person reaches it from a signed link
// (consent.PreferenceToken), without signing in, and changes their consent
// per purpose. It works without JavaScript, is rate-limited per network, and
// answers an unknown, altered or expired link — or a contact since deleted —
// with the same page, so it reveals nothing about who is known.
//
// A Global Privacy Control or Do Not Track header is honoured on arrival
// (consent.HonourOptOut): a GET that records state breaks our "GET never
// changes state" rule on purpose, since the signal is the person's own
// request and must not depend on them pressing a button. It is idempotent:
// once opted out, further visits record nothing.

// PreferencesShow shows the person's choices.
func (h *Handlers) PreferencesShow(w http.ResponseWriter, r *http.Request) {
	h.preferences(w, r, false)
}

// PreferencesSave records the choices posted from the page.
func (h *Handlers) PreferencesSave(w http.ResponseWriter, r *http.Request) {
	h.preferences(w, r, true)
}

func (h *Handlers) preferences(w http.ResponseWriter, r *http.Request, save bool) {
	w.Header().Set("Referrer-Policy", "no-referrer") // the token is in the URL
	w.Header().Set("X-Robots-Tag", "noindex")
	if ok, err := h.allow(r, preferencesLimit); err != nil {
		h.Errs.Error(w, r, err)
		return
	} else if !ok {
		h.render(w, r, http.StatusTooManyRequests, view.PreferencesPage(view.PreferencesView{Limited: true}, h.Assets.URL))
		return
	}
	token := r.PathValue("token")
	v := view.PreferencesView{Token: token}
	ev := consent.Entry{IP: audit.TruncateIP(clientIP(r)), UserAgent: r.UserAgent()}
	signal, hasSignal := consent.PrivacySignal(r)
	saved := false
	err := h.write(r.Context(), func(tx *store.Tx) error {
		ws, contact, err := consent.ParsePreferenceToken(token, tx.Now)
		if err != nil {
			return err
		}
		var first string
		if err := tx.QueryRow(`SELECT first_name FROM contacts WHERE workspace_id = ? AND id = ? AND deleted_at IS NULL`,
			ws, contact).Scan(&first); err != nil {
			return crm.Errorf(crm.NotFound, "No such person.").WithCause(err)
		}
		if err := tx.QueryRow(`SELECT name FROM workspaces WHERE id = ?`, ws).Scan(&v.Workspace); err != nil {
			return err
		}
		v.Greeting = first
		if save {
			_ = r.ParseForm()
			choices := map[string]string{}
			for k, vals := range r.PostForm {
				if p, ok := strings.CutPrefix(k, "p."); ok && len(vals) > 0 {
					choices[p] = vals[0]
				}
			}
			if _, err := consent.SetPreferences(tx, ws, contact, choices, ev); err != nil {
				return err
			}
			saved = true
		}
		// After the person's own choices, which the signal does not override.
		if hasSignal {
			if _, err := consent.HonourOptOut(tx, ws, contact, "preference_centre", signal, ev); err != nil {
				return err
			}
			v.Signal = signal
		}
		states, err := consent.Current(tx, ws, contact)
		for _, s := range states {
			v.Rows = append(v.Rows, view.ConsentRow{Purpose: s.Purpose.Key, Label: s.Purpose.Label, Status: s.Status})
		}
		return err
	})
	switch crm.ErrorCode(err) {
	case "":
		v.Valid, v.Saved = true, saved
		h.render(w, r, http.StatusOK, view.PreferencesPage(v, h.Assets.URL))
	case crm.NotFound, crm.Invalid:
		h.render(w, r, http.StatusNotFound, view.PreferencesPage(view.PreferencesView{}, h.Assets.URL))
	default:
		h.Errs.Error(w, r, err)
	}
}
