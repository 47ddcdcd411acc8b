package ui

import (
	"net/http"
	"sync"
	"time"

	"github.com/tandemcrm/tandem/internal/crm"
	"github.com/tandemcrm/tandem/internal/privacy"
	"github.com/tandemcrm/tandem/internal/store"
	"github.com/tandemcrm/tandem/internal/web/view"
)

// The public privacy pages: no sign-in, no JavaScript needed, rate-limited,
// and the same answer whether or not an address is known.

// PublicRequestShow is the request form of the workspace whose form token
// is in the path.
func (h *Handlers) PublicRequestShow(w http.ResponseWriter, r *http.Request) {
	var name string
	err := h.read(r.Context(), func(tx *store.Tx) (err error) {
		_, name, _, err = privacy.FormWorkspace(tx, r.PathValue("token"))
		return err
	})
	if err != nil {
		h.Errs.Error(w, r, err)
		return
	}
	h.render(w, r, http.StatusOK, view.PublicRequestPage(view.PublicRequestView{Token: r.PathValue("token"), Workspace: name}, h.Assets.URL))
}

// PublicRequestSave registers the request and sends the confirmation link.
func (h *Handlers) PublicRequestSave(w http.ResponseWriter, r *http.Request) {
	if !h.privacyLimit.allow(clientIP(r), time.Now()) {
		h.Errs.Error(w, r, crm.Errorf(crm.TooMany, "Too many requests from your network. Please try again in an hour."))
		return
	}
	token := r.PathValue("token")
	in := privacy.NewRequest{Type: form(r, "type"), Email: form(r, "email"), Name: form(r, "name"),
		AgentName: form(r, "agent_name"), Details: form(r, "details")}
	var name string
	err := h.write(r.Context(), func(tx *store.Tx) (err error) {
		if _, name, _, err = privacy.FormWorkspace(tx, token); err != nil {
			return err
		}
		return h.Privacy.SubmitPublic(tx, token, in)
	})
	v := view.PublicRequestView{Token: token, Workspace: name, Email: in.Email, Name: in.Name}
	if fe := crm.ErrorFields(err); len(fe) > 0 {
		v.Errors = view.Errors(fe)
		h.render(w, r, http.StatusUnprocessableEntity, view.PublicRequestPage(v, h.Assets.URL))
		return
	}
	if err != nil {
		h.Errs.Error(w, r, err)
		return
	}
	v.Sent = true
	h.render(w, r, http.StatusOK, view.PublicRequestPage(v, h.Assets.URL))
}

// PublicVerifyShow shows the confirmation button of an emailed link.
func (h *Handlers) PublicVerifyShow(w http.ResponseWriter, r *http.Request) {
	token := r.PathValue("token")
	err := h.read(r.Context(), func(tx *store.Tx) error { return privacy.CheckToken(tx, token) })
	if crm.ErrorCode(err) == crm.NotFound {
		h.render(w, r, http.StatusNotFound, view.PublicVerifyPage(token, false, true, h.Assets.URL))
		return
	}
	if err != nil {
		h.Errs.Error(w, r, err)
		return
	}
	h.render(w, r, http.StatusOK, view.PublicVerifyPage(token, false, false, h.Assets.URL))
}

// PublicVerifySave confirms the request (single use).
func (h *Handlers) PublicVerifySave(w http.ResponseWriter, r *http.Request) {
	if !h.privacyLimit.allow(clientIP(r), time.Now()) {
		h.Errs.Error(w, r, crm.Errorf(crm.TooMany, "Too many attempts from your network. Please try again in an hour."))
		return
	}
	token := r.PathValue("token")
	err := h.write(r.Context(), func(tx *store.Tx) error { _, err := h.Privacy.VerifyToken(tx, token); return err })
	if crm.ErrorCode(err) == crm.NotFound {
		h.render(w, r, http.StatusNotFound, view.PublicVerifyPage(token, false, true, h.Assets.URL))
		return
	}
	if err != nil {
		h.Errs.Error(w, r, err)
		return
	}
	h.render(w, r, http.StatusOK, view.PublicVerifyPage(token, true, false, h.Assets.URL))
}

// rateLimit allows a few public submissions per client address per hour,
// in this process's memory (enough to stop a script; several replicas each
// count their own).
type rateLimit struct {
	mu   sync.Mutex
	seen map[string][]time.Time
}

const publicPerHour = 10

func (l *rateLimit) allow(ip string, now time.Time) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.seen == nil || len(l.seen) > 10_000 {
		l.seen = map[string][]time.Time{}
	}
	var recent []time.Time
	for _, t := range l.seen[ip] {
		if now.Sub(t) < time.Hour {
			recent = append(recent, t)
		}
	}
	if len(recent) >= publicPerHour {
		l.seen[ip] = recent
		return false
	}
	l.seen[ip] = append(recent, now)
	return true
}
