package ui

import (
	"net/http"

	"github.com/tandemcrm/tandem/internal/crm"
	"github.com/tandemcrm/tandem/internal/records"
	"github.com/tandemcrm/tandem/internal/store"
	"github.com/tandemcrm/tandem/internal/web/respond"
	"github.com/tandemcrm/tandem/internal/web/view"
)

// ContactCreate adds a contact, like CompanyCreate.
func (h *Handlers) ContactCreate(w http.ResponseWriter, r *http.Request) {
	p := principal(r)
	in := records.NewContact{FirstName: form(r, "first_name"), LastName: form(r, "last_name"), Email: form(r, "email")}
	f := view.ContactForm{FirstName: in.FirstName, LastName: in.LastName, Email: in.Email, CompanyID: form(r, "company_id"),
		Columns: form(r, "columns")}
	var c records.Contact
	err := h.write(r.Context(), func(tx *store.Tx) (err error) {
		if f.CompanyID != "" {
			if in.CompanyID, err = crm.ParseID(f.CompanyID); err != nil {
				return crm.FieldErrors{"company_id": "No such company."}.Err()
			}
		}
		c, err = records.CreateContact(tx, p, in)
		return err
	})
	if crm.ErrorCode(err) == crm.Invalid {
		f.Errors = crm.ErrorFields(err)
		if respond.IsHTMX(r) {
			h.renderContactForm(w, r, http.StatusUnprocessableEntity, f, nil)
			return
		}
		h.renderContacts(w, r, http.StatusUnprocessableEntity, f)
		return
	}
	if err != nil {
		h.Errs.Error(w, r, err)
		return
	}
	if respond.IsHTMX(r) {
		var row view.ListRow
		if err := h.read(r.Context(), func(tx *store.Tx) (err error) {
			row, err = newRow(tx, p.WorkspaceID, "contact", f.Columns, c)
			return err
		}); err != nil {
			h.Errs.Error(w, r, err)
			return
		}
		h.renderContactForm(w, r, http.StatusOK, view.ContactForm{Columns: f.Columns}, &row)
		return
	}
	h.flash(w, "ok", "Contact "+c.Name()+" added.")
	http.Redirect(w, r, "/contacts", http.StatusSeeOther)
}

// renderContactForm answers htmx with the form (and the new row, if any).
func (h *Handlers) renderContactForm(w http.ResponseWriter, r *http.Request, status int, f view.ContactForm, row *view.ListRow) {
	err := h.read(r.Context(), func(tx *store.Tx) (err error) {
		f.CompanyName = companyName(tx, principal(r), f.CompanyID)
		return nil
	})
	if err != nil {
		h.Errs.Error(w, r, err)
		return
	}
	if row == nil {
		h.render(w, r, status, view.ContactFormFragment(f))
		return
	}
	h.render(w, r, status, view.ContactCreated(*row, f))
}
