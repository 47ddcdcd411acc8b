package ui

import (
	"fmt"
	"net/http"
	"strings"

	"github.com/tandemcrm/tandem/internal/crm"
	"github.com/tandemcrm/tandem/internal/records"
	"github.com/tandemcrm/tandem/internal/store"
	"github.com/tandemcrm/tandem/internal/views"
	"github.com/tandemcrm/tandem/internal/web/view"
)

// MergeShow compares a contact with a possible duplicate, field by field.
func (h *Handlers) MergeShow(w http.ResponseWriter, r *http.Request) {
	p := principal(r)
	into, err := crm.ParseID(r.PathValue("id"))
	if err != nil {
		h.Errs.Error(w, r, err)
		return
	}
	from, _ := crm.ParseID(r.URL.Query().Get("from"))
	var v view.MergeView
	err = h.read(r.Context(), func(tx *store.Tx) error {
		a, err := records.ViewContact(tx, p, into)
		if err != nil {
			return err
		}
		b, err := records.ViewContact(tx, p, from)
		if err != nil || from == into {
			return crm.Errorf(crm.NotFound, "No such contact to merge.")
		}
		defs, err := records.ListFields(tx, p.WorkspaceID, "contact", false)
		if err != nil {
			return err
		}
		ms, err := views.Members(tx, p.WorkspaceID)
		if err != nil {
			return err
		}
		names := memberNames(ms)
		v = view.MergeView{Path: "/contacts", IntoID: a.ID.String(), IntoName: a.Name(), FromID: b.ID.String(), FromName: b.Name(),
			Note: "Emails, phones, links and tags of both are kept; an address is taken whole. Deals, activities, notes, files and the consent history of " + b.Name() +
				" move here; " + b.Name() + " goes to the trash. Both timelines record the merge."}
		pairs := [][3]string{{"first_name", a.FirstName, b.FirstName}, {"last_name", a.LastName, b.LastName},
			{"title", a.Title, b.Title}, {"company_id", a.CompanyName, b.CompanyName},
			{"lifecycle", a.Lifecycle, b.Lifecycle}, {"source", a.Source, b.Source}, {"owner_id", names[a.OwnerID], names[b.OwnerID]},
			{"address", oneLine(a.Address), oneLine(b.Address)}, {"time_zone", a.TimeZone, b.TimeZone}}
		for _, pr := range pairs {
			if pr[1] != pr[2] {
				v.Rows = append(v.Rows, view.MergeRow{Field: pr[0], Label: strings.ReplaceAll(strings.TrimSuffix(pr[0], "_id"), "_", " "), Keep: pr[1], Take: pr[2]})
			}
		}
		v.Rows = append(v.Rows, customMergeRows(defs, a.Custom, b.Custom)...)
		return nil
	})
	if err != nil {
		h.Errs.Error(w, r, err)
		return
	}
	h.render(w, r, http.StatusOK, view.MergePage(h.shell(w, r, "Merge contacts", "contacts"), v))
}

// customMergeRows are the merge screen's rows of the custom fields whose
// values differ.
func customMergeRows(defs []records.FieldDef, a, b map[string]any) []view.MergeRow {
	var rows []view.MergeRow
	ac, bc := records.PresentCustom(defs, a), records.PresentCustom(defs, b)
	for _, d := range defs {
		x, y := fmt.Sprint(orEmpty(ac[d.Key])), fmt.Sprint(orEmpty(bc[d.Key]))
		if x != y {
			rows = append(rows, view.MergeRow{Field: "custom." + d.Key, Label: d.Label, Keep: x, Take: y})
		}
	}
	return rows
}

// oneLine is an address on one line, as the merge screen compares them.
func oneLine(a records.Address) string { return strings.Join(a.Lines(), ", ") }

// mergeTake reads the merge form's choices: take_<field>=1 takes the
// other record's value.
func mergeTake(r *http.Request) map[string]bool {
	take := map[string]bool{}
	for k, vals := range r.PostForm {
		if f, ok := strings.CutPrefix(k, "take_"); ok && len(vals) > 0 && vals[0] == "1" {
			take[f] = true
		}
	}
	return take
}

func orEmpty(v any) any {
	if v == nil {
		return ""
	}
	return v
}

// MergeSave merges the duplicate into the contact with the chosen fields.
func (h *Handlers) MergeSave(w http.ResponseWriter, r *http.Request) {
	h.mergeSave(w, r, "/contacts", "contact", func(tx *store.Tx, p crm.Principal, into, from crm.ID, take map[string]bool) error {
		_, err := records.MergeContacts(tx, p, into, from, take)
		return err
	})
}

// mergeSave runs a merge posted from the merge screen of the records under
// path and goes back to the survivor.
func (h *Handlers) mergeSave(w http.ResponseWriter, r *http.Request, path, noun string,
	merge func(tx *store.Tx, p crm.Principal, into, from crm.ID, take map[string]bool) error) {
	p := principal(r)
	into, err := crm.ParseID(r.PathValue("id"))
	from, _ := crm.ParseID(form(r, "from"))
	if err == nil {
		if err = r.ParseForm(); err == nil {
			take := mergeTake(r)
			err = h.write(r.Context(), func(tx *store.Tx) error { return merge(tx, p, into, from, take) })
		}
	}
	if err != nil {
		h.Errs.Error(w, r, err)
		return
	}
	h.flash(w, "ok", "Merged. Everything of the other "+noun+" is here now.")
	http.Redirect(w, r, path+"/"+into.String(), http.StatusSeeOther)
}
