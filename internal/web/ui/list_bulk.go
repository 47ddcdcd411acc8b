package ui

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"

	"github.com/tandemcrm/tandem/internal/crm"
	"github.com/tandemcrm/tandem/internal/records"
	"github.com/tandemcrm/tandem/internal/store"
	"github.com/tandemcrm/tandem/internal/views"
	"github.com/tandemcrm/tandem/internal/web/view"
)

// maxBulk bounds one bulk change (a list page holds at most pageSize rows).
const maxBulk = 200

// ContactBulk changes the selected contacts together.
func (h *Handlers) ContactBulk(w http.ResponseWriter, r *http.Request) { h.bulk(w, r, "contact") }

// CompanyBulk changes the selected companies together.
func (h *Handlers) CompanyBulk(w http.ResponseWriter, r *http.Request) { h.bulk(w, r, "company") }

// bulkChange is one bulk action as posted.
type bulkChange struct {
	object, action, field, value string
	ids                          []crm.ID

	// From a record page's editors of several values (record_details.go):
	address records.AddressPatch // field "address"
	links   []view.LinkRow       // field "links"
	removed bool                 // a link's remove button was pressed
}

// bulk asks for confirmation (showing the count), then applies the change
// to every selected record in one transaction: all or nothing.
func (h *Handlers) bulk(w http.ResponseWriter, r *http.Request, object string) {
	kind := listKinds[object]
	st := readListState(returnQuery(form(r, "return"), kind.path), kind.path)
	c := bulkChange{object: object, action: form(r, "action"), field: form(r, "field")}
	c.value = form(r, "value."+c.field)
	if c.action == "tag" {
		c.value = form(r, "tag")
	}
	for _, s := range r.PostForm["id"] {
		if id, err := crm.ParseID(s); err == nil && len(c.ids) < maxBulk {
			c.ids = append(c.ids, id)
		}
	}
	switch {
	case len(c.ids) == 0:
		h.flash(w, "error", "Select at least one row first.")
		h.back(w, r, st.url())
		return
	case c.action == "tag" && c.value == "":
		h.flash(w, "error", "Type the tag to add.")
		h.back(w, r, st.url())
		return
	}
	if form(r, "confirm") != "1" {
		conf := &view.BulkConfirm{Action: c.action, Field: c.field, Value: c.value, Question: h.question(r, c, kind.nouns)}
		for _, id := range c.ids {
			conf.IDs = append(conf.IDs, id.String())
		}
		var f any = view.CompanyForm{}
		if object == "contact" {
			f = view.ContactForm{}
		}
		h.showList(w, r, http.StatusOK, object, st, f, conf)
		return
	}
	err := h.write(r.Context(), func(tx *store.Tx) error { return applyBulk(tx, principal(r), c) })
	switch crm.ErrorCode(err) {
	case "":
		h.flash(w, "ok", bulkDone(c, kind.nouns))
	case crm.Invalid, crm.Conflict, crm.Forbidden, crm.NotFound:
		h.flash(w, "error", "Nothing was changed: "+firstMessage(err))
	default:
		h.Errs.Error(w, r, err)
		return
	}
	h.back(w, r, st.url())
}

func (h *Handlers) question(r *http.Request, c bulkChange, nouns string) string {
	n := formatTotal(fmt.Sprint(len(c.ids)), nouns)
	switch c.action {
	case "delete":
		return fmt.Sprintf("Delete %s? They move to the trash.", n)
	case "tag":
		return fmt.Sprintf("Add the tag “%s” to %s?", c.value, n)
	}
	shown := c.value
	if c.field == "owner" {
		_ = h.read(r.Context(), func(tx *store.Tx) error {
			ms, err := views.Members(tx, principal(r).WorkspaceID)
			for _, m := range ms {
				if m.ID.String() == c.value {
					shown = m.Name
				}
			}
			return err
		})
	}
	if shown == "" {
		return fmt.Sprintf("Clear %s on %s?", strings.TrimPrefix(c.field, "custom."), n)
	}
	return fmt.Sprintf("Set %s to “%s” on %s?", strings.TrimPrefix(c.field, "custom."), shown, n)
}

func bulkDone(c bulkChange, nouns string) string {
	n := formatTotal(fmt.Sprint(len(c.ids)), nouns)
	switch c.action {
	case "delete":
		return "Deleted " + n + "."
	case "tag":
		return "Tagged " + n + "."
	}
	return "Changed " + n + "."
}

// firstMessage is an error's message with its first field message.
func firstMessage(err error) string {
	msg := crm.ErrorMessage(err)
	for k, m := range crm.ErrorFields(err) {
		return msg + " (" + k + ": " + m + ")"
	}
	return msg
}

// returnQuery reads the list URL a form came from; only the list itself is
// accepted, so a form cannot send people elsewhere.
func returnQuery(ret, path string) url.Values {
	u, err := url.Parse(ret)
	if err != nil || u.Path != path || u.Host != "" || u.Scheme != "" {
		return url.Values{}
	}
	return u.Query()
}

// back returns to a list after a post: a redirect for plain forms, and for
// htmx a client-side fetch that swaps the list in and pushes its URL.
func (h *Handlers) back(w http.ResponseWriter, r *http.Request, to string) {
	if r.Header.Get("HX-Request") == "true" {
		w.Header().Set("HX-Location", fmt.Sprintf(`{"path":%q,"target":"#list","swap":"outerHTML"}`, to))
		w.WriteHeader(http.StatusOK)
		return
	}
	http.Redirect(w, r, to, http.StatusSeeOther)
}

func applyBulk(tx *store.Tx, p crm.Principal, c bulkChange) error {
	for _, id := range c.ids {
		var err error
		switch {
		case c.object == "contact" && c.action == "delete":
			err = records.DeleteContact(tx, p, id)
		case c.object == "company" && c.action == "delete":
			err = records.DeleteCompany(tx, p, id)
		case c.object == "contact":
			var patch records.ContactPatch
			if patch, err = contactPatch(tx, p, id, c); err == nil {
				_, err = records.UpdateContact(tx, p, id, patch, 0)
			}
		default:
			var patch records.CompanyPatch
			if patch, err = companyPatch(tx, p, id, c); err == nil {
				_, err = records.UpdateCompany(tx, p, id, patch, 0)
			}
		}
		if err != nil {
			return err
		}
	}
	return nil
}
