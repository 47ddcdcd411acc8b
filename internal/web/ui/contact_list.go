package ui

import (
	"net/http"

	"github.com/tandemcrm/tandem/internal/crm"
	"github.com/tandemcrm/tandem/internal/records"
	"github.com/tandemcrm/tandem/internal/store"
	"github.com/tandemcrm/tandem/internal/web/view"
)

// companyChoices is how many companies the contact form offers: the newest
// ones. A search-as-you-type picker replaces this once search exists.
const companyChoices = 200

// ContactList shows a page of contacts, newest first.
func (h *Handlers) ContactList(w http.ResponseWriter, r *http.Request) {
	h.renderContacts(w, r, http.StatusOK, view.ContactForm{CompanyID: r.URL.Query().Get("company")})
}

// renderContacts renders the list page around form f (blank, or as typed
// with its messages), so a refused plain form post still shows the table.
func (h *Handlers) renderContacts(w http.ResponseWriter, r *http.Request, status int, f view.ContactForm) {
	p := principal(r)
	var cs []records.Contact
	err := h.read(r.Context(), func(tx *store.Tx) (err error) {
		if cs, err = records.ListContacts(tx, p.WorkspaceID, cursor(r), pageSize+1); err != nil {
			return err
		}
		f.Companies, err = h.companyOptions(tx, p.WorkspaceID)
		return err
	})
	if err != nil {
		h.Errs.Error(w, r, err)
		return
	}
	v := view.ContactsView{Form: f}
	if len(cs) > pageSize {
		cs = cs[:pageSize]
		v.Next = "/contacts?after=" + cs[len(cs)-1].ID.String()
	}
	for _, c := range cs {
		v.Rows = append(v.Rows, contactRow(c, false))
	}
	h.render(w, r, status, view.ContactsPage(h.shell(w, r, "Contacts", "contacts"), v))
}

func (h *Handlers) companyOptions(tx *store.Tx, ws crm.ID) ([]view.Option, error) {
	cs, err := records.ListCompanies(tx, ws, 0, companyChoices)
	if err != nil {
		return nil, err
	}
	out := make([]view.Option, 0, len(cs))
	for _, c := range cs {
		out = append(out, view.Option{Value: c.ID.String(), Label: c.Name})
	}
	return out, nil
}

func contactRow(c records.Contact, isNew bool) view.ContactRow {
	row := view.ContactRow{ID: c.ID.String(), Name: c.Name(), Email: c.Email, Company: c.CompanyName,
		Lifecycle: c.Lifecycle, Created: c.CreatedAt.Format("Jan 2, 2006"), New: isNew}
	if c.CompanyID != 0 {
		row.CompanyID = c.CompanyID.String()
	}
	return row
}
