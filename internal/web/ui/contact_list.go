package ui

import (
	"net/http"

	"github.com/tandemcrm/tandem/internal/records"
	"github.com/tandemcrm/tandem/internal/store"
	"github.com/tandemcrm/tandem/internal/web/view"
)

// ContactList shows a page of contacts, newest first.
func (h *Handlers) ContactList(w http.ResponseWriter, r *http.Request) {
	p := principal(r)
	var cs []records.Contact
	err := h.read(r.Context(), func(tx *store.Tx) (err error) {
		cs, err = records.ListContacts(tx, p.WorkspaceID, cursor(r), pageSize+1)
		return err
	})
	if err != nil {
		h.Errs.Error(w, r, err)
		return
	}
	v := view.ContactsView{}
	if len(cs) > pageSize {
		cs = cs[:pageSize]
		v.Next = "/contacts?after=" + cs[len(cs)-1].ID.String()
	}
	for _, c := range cs {
		v.Rows = append(v.Rows, contactRow(c, false))
	}
	h.render(w, r, http.StatusOK, view.ContactsPage(h.shell(w, r, "Contacts", "contacts"), v))
}

func contactRow(c records.Contact, isNew bool) view.ContactRow {
	return view.ContactRow{ID: c.ID.String(), Name: c.Name(), Email: c.Email, Company: c.CompanyName,
		Lifecycle: c.Lifecycle, Created: c.CreatedAt.Format("Jan 2, 2006"), New: isNew}
}
