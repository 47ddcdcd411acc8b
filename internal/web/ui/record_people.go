package ui

import (
	"net/http"
	"strings"

	"github.com/tandemcrm/tandem/internal/crm"
	"github.com/tandemcrm/tandem/internal/records"
	"github.com/tandemcrm/tandem/internal/store"
	"github.com/tandemcrm/tandem/internal/web/respond"
	"github.com/tandemcrm/tandem/internal/web/view"
)

// peopleShown is how many current people a company's page lists.
const peopleShown = 20

// addPeople fills a contact's past companies or a company's current and
// former people.
func (h *Handlers) addPeople(tx *store.Tx, p crm.Principal, object string, id crm.ID, v *view.RecordView) error {
	if object == "contact" {
		panel, err := h.pastPanel(tx, p, id)
		v.Past = &panel
		return err
	}
	page, err := records.QueryContacts(tx, p, records.ListQuery{Filter: "company_id = " + id.String(), Sort: "last_name,first_name", Limit: peopleShown})
	if err != nil {
		return err
	}
	panel := view.PeoplePanel{}
	for _, c := range page.Items {
		panel.Current = append(panel.Current, view.PersonRow{Name: c.Name(), URL: "/contacts/" + c.ID.String(), Detail: c.Title})
	}
	if page.Next != "" {
		panel.CurrentAll = "/contacts?filter=" + urlQuery("company_id = "+id.String())
	}
	former, err := records.FormerPeople(tx, p, id, 50)
	for _, f := range former {
		panel.Former = append(panel.Former, view.PersonRow{Name: f.Name, URL: "/contacts/" + f.ContactID.String(),
			Detail: joinNonEmpty(" · ", f.Title, untilText(f.EndedOn))})
	}
	v.People = &panel
	return err
}

func untilText(d string) string {
	if d == "" {
		return ""
	}
	return "until " + d
}

func (h *Handlers) pastPanel(tx *store.Tx, p crm.Principal, id crm.ID) (view.PastPanel, error) {
	panel := view.PastPanel{Base: "/contacts/" + id.String(), ReadOnly: p.Role == crm.RoleReadOnly}
	pcs, err := records.PastCompanies(tx, p, id)
	if err != nil {
		return panel, err
	}
	for _, pc := range pcs {
		when := pc.StartedOn + " – " + pc.EndedOn
		switch {
		case pc.StartedOn == "" && pc.EndedOn == "":
			when = ""
		case pc.StartedOn == "":
			when = untilText(pc.EndedOn)
		}
		panel.Rows = append(panel.Rows, view.PastCompanyRow{ID: pc.ID.String(), Company: pc.CompanyName,
			CompanyURL: "/companies/" + pc.CompanyID.String(), Title: pc.Title, When: when})
	}
	return panel, nil
}

// PastCompanyAdd adds a past company to a contact.
func (h *Handlers) PastCompanyAdd(w http.ResponseWriter, r *http.Request) {
	f := view.PastForm{CompanyID: form(r, "company_id"), Title: form(r, "title"), StartedOn: form(r, "started_on"), EndedOn: form(r, "ended_on")}
	h.changePast(w, r, f, func(tx *store.Tx, p crm.Principal, id crm.ID) error {
		in := records.PastCompanyInput{Title: &f.Title, StartedOn: &f.StartedOn, EndedOn: &f.EndedOn}
		if f.CompanyID != "" {
			co, err := idValue("company_id", f.CompanyID)
			if err != nil {
				return err
			}
			in.CompanyID = &co
		}
		_, err := records.AddPastCompany(tx, p, id, in)
		return err
	})
}

// PastCompanyRemove removes one past company of a contact.
func (h *Handlers) PastCompanyRemove(w http.ResponseWriter, r *http.Request) {
	h.changePast(w, r, view.PastForm{}, func(tx *store.Tx, p crm.Principal, id crm.ID) error {
		past, err := crm.ParseID(r.PathValue("past"))
		if err != nil {
			return crm.Errorf(crm.NotFound, "No such past company.")
		}
		return records.RemovePastCompany(tx, p, id, past)
	})
}

// changePast runs one change of a contact's past companies and answers
// htmx with the panel, a plain form with a redirect to the contact.
func (h *Handlers) changePast(w http.ResponseWriter, r *http.Request, f view.PastForm, change func(*store.Tx, crm.Principal, crm.ID) error) {
	p := principal(r)
	id, err := crm.ParseID(r.PathValue("id"))
	if err != nil {
		h.Errs.Error(w, r, crm.Errorf(crm.NotFound, "No such contact."))
		return
	}
	err = h.write(r.Context(), func(tx *store.Tx) error { return change(tx, p, id) })
	code := crm.ErrorCode(err)
	if code != "" && code != crm.Invalid {
		h.Errs.Error(w, r, err)
		return
	}
	msg := ""
	if code == crm.Invalid {
		msg = pastErrorText(err)
	}
	if !respond.IsHTMX(r) {
		if msg != "" {
			h.flash(w, "error", "Not saved: "+msg)
		} else {
			h.flash(w, "ok", "Saved.")
		}
		http.Redirect(w, r, "/contacts/"+id.String(), http.StatusSeeOther)
		return
	}
	var panel view.PastPanel
	rerr := h.read(r.Context(), func(tx *store.Tx) (err error) {
		if msg != "" {
			f.CompanyName = companyName(tx, p, f.CompanyID)
		}
		panel, err = h.pastPanel(tx, p, id)
		return err
	})
	if rerr != nil {
		h.Errs.Error(w, r, rerr)
		return
	}
	status := http.StatusOK
	if msg != "" {
		panel.Error, panel.Form, status = msg, f, http.StatusUnprocessableEntity
	}
	h.render(w, r, status, view.PastCompaniesPanel(panel))
}

func pastErrorText(err error) string {
	var msgs []string
	for _, k := range []string{"company_id", "title", "started_on", "ended_on"} {
		if m := crm.ErrorFields(err)[k]; m != "" {
			msgs = append(msgs, m)
		}
	}
	if len(msgs) == 0 {
		return crm.ErrorMessage(err)
	}
	return strings.Join(msgs, " ")
}
