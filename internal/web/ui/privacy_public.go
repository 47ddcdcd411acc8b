package ui

import (
	"cmp"
	"net/http"
	"time"

	"github.com/tandemcrm/tandem/internal/audit"
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
	if ok, err := h.allow(r, privacyFormLimit); !ok {
		h.Errs.Error(w, r, cmp.Or[error](err, crm.Errorf(crm.TooMany, "Too many requests from your network. Please try again in an hour.")))
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
	if ok, err := h.allow(r, privacyFormLimit); !ok {
		h.Errs.Error(w, r, cmp.Or[error](err, crm.Errorf(crm.TooMany, "Too many attempts from your network. Please try again in an hour.")))
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

// The public pages' limits, counted in the database (privacy.Limit) so they
// hold across restarts and replicas: per client network (IPv4 /24, IPv6
// /48), the privacy form and its confirmation 10 an hour, the preference
// centre 30 a minute.
var (
	privacyFormLimit = privacy.Limit{Bucket: "privacy-form", Max: 10, Window: time.Hour}
	preferencesLimit = privacy.Limit{Bucket: "preferences", Max: 30, Window: time.Minute}
)

// allow counts a hit of the client's network against l, in its own
// transaction. It stores a keyed hash of the network, not the address.
func (h *Handlers) allow(r *http.Request, l privacy.Limit) (bool, error) {
	key, err := h.Key.Hash("ratelimit."+l.Bucket, audit.TruncateIP(clientIP(r)))
	if err != nil {
		return false, err
	}
	var ok bool
	err = h.write(r.Context(), func(tx *store.Tx) (err error) { ok, err = l.Allow(tx, key); return err })
	return ok && err == nil, err
}
