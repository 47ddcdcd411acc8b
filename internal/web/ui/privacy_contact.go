package ui

import (
	"bytes"
	"net/http"
	"strconv"

	"github.com/tandemcrm/tandem/internal/crm"
	"github.com/tandemcrm/tandem/internal/privacy"
	"github.com/tandemcrm/tandem/internal/store"
	"github.com/tandemcrm/tandem/internal/web/view"
)

// ContactDataExport sends everything about a contact as a zip (managers and
// above). A POST: every export is recorded in the audit log.
func (h *Handlers) ContactDataExport(w http.ResponseWriter, r *http.Request) {
	p := principal(r)
	id, err := crm.ParseID(r.PathValue("id"))
	var buf bytes.Buffer
	if err == nil {
		err = h.write(r.Context(), func(tx *store.Tx) error { _, err := h.Privacy.Export(tx, p, id, &buf); return err })
	}
	if err != nil {
		h.Errs.Error(w, r, err)
		return
	}
	sendZip(w, "contact-"+id.String()+".zip", buf.Bytes())
}

// ContactEraseShow previews the erasure of a contact (owners and admins).
func (h *Handlers) ContactEraseShow(w http.ResponseWriter, r *http.Request) {
	h.erasePage(w, r, http.StatusOK, "")
}

func (h *Handlers) erasePage(w http.ResponseWriter, r *http.Request, status int, msg string) {
	p := principal(r)
	id, err := crm.ParseID(r.PathValue("id"))
	v := view.EraseView{ID: r.PathValue("id"), Error: msg}
	if err == nil {
		err = h.read(r.Context(), func(tx *store.Tx) error {
			rep, err := h.Privacy.Preview(tx, p, id)
			if err != nil {
				return err
			}
			s, err := privacy.LoadSubject(tx, p.WorkspaceID, id)
			if err != nil {
				return err
			}
			v.Name = s.Name
			if v.Name == "" && len(s.Emails) > 0 {
				v.Name = s.Emails[0]
			}
			for _, c := range rep.Counts {
				v.Counts = append(v.Counts, view.EraseCount{Title: c.Title, Rows: c.Rows})
			}
			v.Total = rep.Total()
			if hold, err := privacy.GetHold(tx, p.WorkspaceID, id); err == nil {
				v.Hold = hold.Reason
			}
			return nil
		})
	}
	if err != nil {
		h.Errs.Error(w, r, err)
		return
	}
	h.render(w, r, status, view.ErasePage(h.shell(w, r, "Erase "+v.Name, "contacts"), v))
}

// ContactEraseSave erases the contact once the box is ticked.
func (h *Handlers) ContactEraseSave(w http.ResponseWriter, r *http.Request) {
	p := principal(r)
	id, err := crm.ParseID(r.PathValue("id"))
	if err != nil {
		h.Errs.Error(w, r, err)
		return
	}
	if form(r, "confirm") != "yes" {
		h.erasePage(w, r, http.StatusUnprocessableEntity, "Tick the box to confirm: erasure cannot be undone.")
		return
	}
	var rep privacy.Report
	err = h.write(r.Context(), func(tx *store.Tx) (err error) { rep, err = h.Privacy.Erase(tx, p, id); return err })
	if crm.ErrorCode(err) == crm.Conflict {
		h.erasePage(w, r, http.StatusConflict, crm.ErrorMessage(err))
		return
	}
	if err != nil {
		h.Errs.Error(w, r, err)
		return
	}
	h.flash(w, "ok", "Erased: "+strconv.Itoa(rep.Total())+" rows deleted or anonymised.")
	http.Redirect(w, r, "/contacts", http.StatusSeeOther)
}

// ContactHoldSave sets (or, with an empty reason, lifts) a legal hold.
func (h *Handlers) ContactHoldSave(w http.ResponseWriter, r *http.Request) {
	p := principal(r)
	id, err := crm.ParseID(r.PathValue("id"))
	if err == nil {
		err = h.write(r.Context(), func(tx *store.Tx) error { return privacy.SetHold(tx, p, id, form(r, "reason")) })
	}
	if len(crm.ErrorFields(err)) > 0 {
		h.erasePage(w, r, http.StatusUnprocessableEntity, crm.ErrorMessage(err))
		return
	}
	if err != nil {
		h.Errs.Error(w, r, err)
		return
	}
	if form(r, "reason") == "" {
		h.flash(w, "ok", "Legal hold lifted.")
	} else {
		h.flash(w, "ok", "Legal hold set: this person cannot be erased until it is lifted.")
	}
	http.Redirect(w, r, "/contacts/"+id.String()+"/erase", http.StatusSeeOther)
}
