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
	in := records.NewContact{FirstName: form(r, "first_name"), LastName: form(r, "last_name"), Email: form(r, "email")}
	var c records.Contact
	err := h.write(r.Context(), func(tx *store.Tx) (err error) {
		c, err = records.CreateContact(tx, principal(r), in)
		return err
	})
	if crm.ErrorCode(err) == crm.Invalid {
		f := view.ContactForm{FirstName: in.FirstName, LastName: in.LastName, Email: in.Email, Errors: crm.ErrorFields(err)}
		if respond.IsHTMX(r) {
			h.render(w, r, http.StatusUnprocessableEntity, view.ContactFormFragment(f))
			return
		}
		h.render(w, r, http.StatusUnprocessableEntity, view.ContactsPage(h.shell(w, r, "Contacts", "contacts"), view.ContactsView{Form: f}))
		return
	}
	if err != nil {
		h.Errs.Error(w, r, err)
		return
	}
	if respond.IsHTMX(r) {
		h.render(w, r, http.StatusOK, view.ContactCreated(contactRow(c, true)))
		return
	}
	h.flash(w, "ok", "Contact "+c.Name()+" added.")
	http.Redirect(w, r, "/contacts", http.StatusSeeOther)
}
