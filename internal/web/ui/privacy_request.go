package ui

import (
	"bytes"
	"net/http"

	"github.com/tandemcrm/tandem/internal/crm"
	"github.com/tandemcrm/tandem/internal/privacy"
	"github.com/tandemcrm/tandem/internal/store"
	"github.com/tandemcrm/tandem/internal/web/view"
)

// PrivacyRequestShow is one request of the register with its next steps.
func (h *Handlers) PrivacyRequestShow(w http.ResponseWriter, r *http.Request) {
	h.requestPage(w, r, http.StatusOK, nil)
}

func (h *Handlers) requestPage(w http.ResponseWriter, r *http.Request, status int, errs view.Errors) {
	p := principal(r)
	id, err := crm.ParseID(r.PathValue("id"))
	var q privacy.Request
	if err == nil {
		err = h.read(r.Context(), func(tx *store.Tx) (err error) { q, err = h.Privacy.GetRequest(tx, p, id); return err })
	}
	if err != nil {
		h.Errs.Error(w, r, err)
		return
	}
	v := view.PrivacyRequestView{Row: requestRow(q), Details: q.Details, Evidence: q.Evidence, Outcome: q.Outcome,
		VerifyMethod: q.VerifyMethod, AgentEmail: q.AgentEmail, Source: q.Source, Extended: q.Extended,
		Open: q.ClosedAt == nil, Verified: q.VerifiedAt != nil, Mail: h.Privacy.Mail != nil, Errors: errs,
		CanDownload: (q.Type == "access" || q.Type == "portability") && (q.Status == privacy.Verified || q.Status == privacy.Fulfilled)}
	if q.VerifiedAt != nil {
		v.VerifiedAt = day(*q.VerifiedAt)
	}
	if q.ClosedAt != nil {
		v.ClosedAt = day(*q.ClosedAt)
	}
	h.render(w, r, status, view.PrivacyRequestPage(h.shell(w, r, "Privacy request", "settings"), v))
}

// PrivacyRequestStep moves a request on: send (the confirmation email),
// verify (with evidence), extend, fulfil or reject.
func (h *Handlers) PrivacyRequestStep(w http.ResponseWriter, r *http.Request) {
	p := principal(r)
	id, err := crm.ParseID(r.PathValue("id"))
	if err != nil {
		h.Errs.Error(w, r, err)
		return
	}
	step, msg := r.PathValue("step"), ""
	err = h.write(r.Context(), func(tx *store.Tx) (err error) {
		switch step {
		case "send":
			msg = "Confirmation link sent."
			_, err = h.Privacy.SendVerification(tx, p, id)
		case "verify":
			msg = "Marked verified."
			_, err = h.Privacy.VerifyWithEvidence(tx, p, id, form(r, "evidence"))
		case "extend":
			msg = "Deadline extended. Tell the person why."
			_, err = h.Privacy.Extend(tx, p, id, form(r, "text"))
		case "fulfil":
			var rep privacy.Report
			_, rep, err = h.Privacy.Fulfil(tx, p, id, form(r, "text"))
			msg = "Request fulfilled."
			if rep.Total() > 0 {
				msg = "Request fulfilled: the person was erased."
			}
		case "reject":
			msg = "Request refused."
			_, err = h.Privacy.Reject(tx, p, id, form(r, "text"))
		default:
			err = crm.Errorf(crm.NotFound, "No such step.")
		}
		return err
	})
	if fe := crm.ErrorFields(err); len(fe) > 0 {
		h.requestPage(w, r, http.StatusUnprocessableEntity, view.Errors(fe))
		return
	}
	if crm.ErrorCode(err) == crm.Conflict || crm.ErrorCode(err) == crm.Invalid {
		h.requestPage(w, r, http.StatusConflict, view.Errors{"_": crm.ErrorMessage(err)})
		return
	}
	if err != nil {
		h.Errs.Error(w, r, err)
		return
	}
	h.flash(w, "ok", msg)
	http.Redirect(w, r, "/settings/privacy/requests/"+id.String(), http.StatusSeeOther)
}

// PrivacyRequestDownload sends the bundle answering an access or
// portability request. A POST: it is recorded in the audit log.
func (h *Handlers) PrivacyRequestDownload(w http.ResponseWriter, r *http.Request) {
	p := principal(r)
	id, err := crm.ParseID(r.PathValue("id"))
	var buf bytes.Buffer
	if err == nil {
		err = h.write(r.Context(), func(tx *store.Tx) error { _, err := h.Privacy.DownloadRequest(tx, p, id, &buf); return err })
	}
	if err != nil {
		h.Errs.Error(w, r, err)
		return
	}
	sendZip(w, "privacy-request-"+id.String()+".zip", buf.Bytes())
}

func sendZip(w http.ResponseWriter, name string, b []byte) {
	w.Header().Set("Content-Type", "application/zip")
	w.Header().Set("Content-Disposition", `attachment; filename="`+name+`"`)
	w.Header().Set("Cache-Control", "no-store")
	_, _ = w.Write(b)
}
