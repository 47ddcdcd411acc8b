package ui

import (
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/tandemcrm/tandem/internal/crm"
	"github.com/tandemcrm/tandem/internal/deals"
	"github.com/tandemcrm/tandem/internal/records"
	"github.com/tandemcrm/tandem/internal/store"
	"github.com/tandemcrm/tandem/internal/web/respond"
	"github.com/tandemcrm/tandem/internal/web/view"
)

// The Contacts panel of a deal's page: the primary contact, then the other
// contacts with their roles. Each change is one deals.UpdateDeal of the
// deal's contacts, checked against the version the panel was shown at.

// dealContacts is the panel of deal d as p sees it.
func dealContacts(p crm.Principal, d deals.Deal) view.DealContactsView {
	v := view.DealContactsView{DealID: d.ID.String(), Version: strconv.FormatInt(d.Version, 10), ReadOnly: !canEditDeals(p)}
	if d.ContactID != 0 {
		v.Primary = &view.DealContactRow{ID: d.ContactID.String(), Name: d.ContactName}
	}
	for _, c := range d.Contacts {
		v.Rows = append(v.Rows, view.DealContactRow{ID: c.ContactID.String(), Name: c.Name, Role: c.Role})
	}
	return v
}

// DealContactsShow answers the panel (?edit=ID: with that contact's role
// being changed).
func (h *Handlers) DealContactsShow(w http.ResponseWriter, r *http.Request) {
	p := principal(r)
	id, err := crm.ParseID(r.PathValue("id"))
	if err != nil {
		h.Errs.Error(w, r, crm.Errorf(crm.NotFound, "No such deal."))
		return
	}
	var v view.DealContactsView
	if err := h.read(r.Context(), func(tx *store.Tx) error {
		d, err := deals.ViewDeal(tx, p, id)
		v = dealContacts(p, d)
		return err
	}); err != nil {
		h.Errs.Error(w, r, err)
		return
	}
	if !v.ReadOnly {
		v.Editing = r.URL.Query().Get("edit")
	}
	h.render(w, r, http.StatusOK, view.DealContactsPanel(v))
}

// DealContactAdd adds another contact (contact_id) with a role.
func (h *Handlers) DealContactAdd(w http.ResponseWriter, r *http.Request) {
	f := view.DealContactForm{ContactID: form(r, "contact_id"), Role: form(r, "role")}
	h.changeDealContacts(w, r, f, func(d deals.Deal, patch *deals.DealPatch) error {
		if f.ContactID == "" {
			return (crm.FieldErrors{"contact_id": "Choose a contact to add."}).Err()
		}
		c, err := idValue("contact_id", f.ContactID)
		if err != nil {
			return err
		}
		cs := append(slices.Clone(d.Contacts), deals.DealContact{ContactID: c, Role: f.Role})
		patch.Contacts = &cs
		return nil
	})
}

// DealContactSave changes the role (form value value) of one other contact.
func (h *Handlers) DealContactSave(w http.ResponseWriter, r *http.Request) {
	h.changeDealContacts(w, r, view.DealContactForm{}, func(d deals.Deal, patch *deals.DealPatch) error {
		cs, i, err := dealContact(d, r.PathValue("contact"))
		if err != nil {
			return err
		}
		cs[i].Role = form(r, "value")
		patch.Contacts = &cs
		return nil
	})
}

// DealContactRemove takes one other contact off the deal.
func (h *Handlers) DealContactRemove(w http.ResponseWriter, r *http.Request) {
	h.changeDealContacts(w, r, view.DealContactForm{}, func(d deals.Deal, patch *deals.DealPatch) error {
		cs, i, err := dealContact(d, r.PathValue("contact"))
		if err != nil {
			return err
		}
		cs = slices.Delete(cs, i, i+1)
		patch.Contacts = &cs
		return nil
	})
}

// DealContactPrimary makes one other contact the primary contact; the
// primary contact takes their place among the others, without a role.
func (h *Handlers) DealContactPrimary(w http.ResponseWriter, r *http.Request) {
	h.changeDealContacts(w, r, view.DealContactForm{}, func(d deals.Deal, patch *deals.DealPatch) error {
		cs, i, err := dealContact(d, r.PathValue("contact"))
		if err != nil {
			return err
		}
		primary := cs[i].ContactID
		if d.ContactID != 0 {
			cs[i] = deals.DealContact{ContactID: d.ContactID}
		} else {
			cs = slices.Delete(cs, i, i+1)
		}
		patch.ContactID, patch.Contacts = &primary, &cs
		return nil
	})
}

// dealContact finds the other contact with the given id among the deal's,
// in a copy of them.
func dealContact(d deals.Deal, id string) ([]deals.DealContact, int, error) {
	cs := slices.Clone(d.Contacts)
	for i, c := range cs {
		if c.ContactID.String() == id {
			return cs, i, nil
		}
	}
	// Gone since the panel was shown: someone else changed the deal.
	return nil, 0, crm.Errorf(crm.Conflict, "This contact is no longer on the deal.")
}

// changeDealContacts builds one change of a deal's contacts from the deal
// as stored and applies it at the version the form was made at. It answers
// htmx with the panel (and, when the primary contact changed, the deal's
// facts out of band); a plain form with a redirect to the deal.
func (h *Handlers) changeDealContacts(w http.ResponseWriter, r *http.Request, f view.DealContactForm,
	change func(d deals.Deal, patch *deals.DealPatch) error) {
	p := principal(r)
	id, err := crm.ParseID(r.PathValue("id"))
	if err != nil {
		h.Errs.Error(w, r, crm.Errorf(crm.NotFound, "No such deal."))
		return
	}
	version, _ := strconv.ParseInt(form(r, "version"), 10, 64)
	var primaryChanged bool
	err = h.write(r.Context(), func(tx *store.Tx) error {
		d, err := deals.ViewDeal(tx, p, id)
		if err != nil {
			return err
		}
		var patch deals.DealPatch
		if err := change(d, &patch); err != nil {
			return err
		}
		after, err := deals.UpdateDeal(tx, p, id, patch, version)
		primaryChanged = err == nil && after.ContactID != d.ContactID
		return err
	})
	code := crm.ErrorCode(err)
	if code != "" && code != crm.Invalid && code != crm.Conflict {
		h.Errs.Error(w, r, err)
		return
	}
	msg := ""
	switch code {
	case crm.Conflict:
		msg = "Someone else changed this deal meanwhile; below is how it is now. Nothing was saved: try again."
	case crm.Invalid:
		msg = contactsErrorText(err)
	}
	if !respond.IsHTMX(r) {
		if msg != "" {
			h.flash(w, "error", "Not saved: "+msg)
		} else {
			h.flash(w, "ok", "Saved.")
		}
		http.Redirect(w, r, "/deals/"+id.String(), http.StatusSeeOther)
		return
	}
	var v view.DealPageView
	rerr := h.read(r.Context(), func(tx *store.Tx) (err error) {
		if code != "" && f.ContactID != "" {
			f.ContactName = pickedContact(tx, p, f.ContactID)
			if f.ContactName == "" {
				f.ContactID = ""
			}
		}
		v, err = h.loadDeal(tx, p, id, false)
		return err
	})
	if rerr != nil {
		h.Errs.Error(w, r, rerr)
		return
	}
	panel, status := v.Contacts, http.StatusOK
	switch {
	case code == crm.Conflict:
		panel.Conflict, panel.Form, status = msg, f, http.StatusUnprocessableEntity
	case code == crm.Invalid && r.PathValue("contact") != "":
		// A refused role: its editor again, with what was typed.
		panel.Editing, panel.RowError, status = r.PathValue("contact"), msg, http.StatusUnprocessableEntity
		for i := range panel.Rows {
			if panel.Rows[i].ID == panel.Editing {
				panel.Rows[i].Role = form(r, "value")
			}
		}
	case code == crm.Invalid:
		panel.Error, panel.Form, status = msg, f, http.StatusUnprocessableEntity
	}
	if primaryChanged {
		h.render(w, r, status, view.DealContactsChanged(panel, v))
		return
	}
	h.render(w, r, status, view.DealContactsPanel(panel))
}

// contactsErrorText says why a change of a deal's contacts was refused; the
// domain names the fields contact_id, contacts.N.contact_id and
// contacts.N.role.
func contactsErrorText(err error) string {
	fe := crm.ErrorFields(err)
	keys := make([]string, 0, len(fe))
	for k := range fe {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	var msgs []string
	for _, k := range keys {
		if !slices.Contains(msgs, fe[k]) {
			msgs = append(msgs, fe[k])
		}
	}
	if len(msgs) == 0 {
		return crm.ErrorMessage(err)
	}
	return strings.Join(msgs, " ")
}

// pickedContact is the name of the contact a refused picker had chosen, to
// show it again: "" when there is none, or p does not see it.
func pickedContact(tx *store.Tx, p crm.Principal, id string) string {
	c, err := crm.ParseID(id)
	if err != nil {
		return ""
	}
	ct, err := records.ViewContact(tx, p, c)
	if err != nil {
		return ""
	}
	return ct.Name()
}

// pickedCompany is pickedContact for a company.
func pickedCompany(tx *store.Tx, p crm.Principal, id string) string {
	c, err := crm.ParseID(id)
	if err != nil {
		return ""
	}
	co, err := records.ViewCompany(tx, p, c)
	if err != nil {
		return ""
	}
	return co.Name
}

// promote keeps a new primary contact off the other contacts: choosing one
// of them as the primary contact moves them up, and their role goes.
func promote(tx *store.Tx, p crm.Principal, id crm.ID, patch *deals.DealPatch) error {
	d, err := deals.ViewDeal(tx, p, id)
	if err != nil {
		return err
	}
	others := slices.DeleteFunc(slices.Clone(d.Contacts), func(c deals.DealContact) bool { return c.ContactID == *patch.ContactID })
	if len(others) != len(d.Contacts) {
		patch.Contacts = &others
	}
	return nil
}
