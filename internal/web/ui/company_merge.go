package ui

import (
	"net/http"
	"strconv"

	"github.com/tandemcrm/tandem/internal/crm"
	"github.com/tandemcrm/tandem/internal/records"
	"github.com/tandemcrm/tandem/internal/store"
	"github.com/tandemcrm/tandem/internal/views"
	"github.com/tandemcrm/tandem/internal/web/view"
)

// CompanyMergeShow compares a company with a possible duplicate, field by
// field.
func (h *Handlers) CompanyMergeShow(w http.ResponseWriter, r *http.Request) {
	p := principal(r)
	into, err := crm.ParseID(r.PathValue("id"))
	if err != nil {
		h.Errs.Error(w, r, err)
		return
	}
	from, _ := crm.ParseID(r.URL.Query().Get("from"))
	var v view.MergeView
	err = h.read(r.Context(), func(tx *store.Tx) error {
		a, err := records.ViewCompany(tx, p, into)
		if err != nil {
			return err
		}
		b, err := records.ViewCompany(tx, p, from)
		if err != nil || from == into {
			return crm.Errorf(crm.NotFound, "No such company to merge.")
		}
		defs, err := records.ListFields(tx, p.WorkspaceID, "company", false)
		if err != nil {
			return err
		}
		ms, err := views.Members(tx, p.WorkspaceID)
		if err != nil {
			return err
		}
		names := memberNames(ms)
		parent := func(id crm.ID) string {
			if id == 0 {
				return ""
			}
			c, err := records.GetCompany(tx, p.WorkspaceID, id)
			if err != nil {
				return id.String()
			}
			return c.Name
		}
		size := func(n int) string {
			if n == 0 {
				return ""
			}
			return strconv.Itoa(n)
		}
		v = view.MergeView{Path: "/companies", IntoID: a.ID.String(), IntoName: a.Name, FromID: b.ID.String(), FromName: b.Name,
			Note: "Domains and tags of both are kept (" + a.Name + "'s primary domain stays primary); an address is taken whole. The people, past people, deals, " +
				"activities, notes, files and child companies of " + b.Name + " move here; " + b.Name +
				" goes to the trash. Both timelines record the merge."}
		for _, pr := range []struct{ field, label, keep, take string }{
			{"name", "name", a.Name, b.Name}, {"industry", "industry", a.Industry, b.Industry},
			{"size", "employees", size(a.Size), size(b.Size)}, {"phone", "phone", a.Phone, b.Phone},
			{"address", "address", oneLine(a.Address), oneLine(b.Address)},
			{"owner_id", "owner", names[a.OwnerID], names[b.OwnerID]}, {"parent_id", "parent company", parent(a.ParentID), parent(b.ParentID)},
		} {
			if pr.keep != pr.take {
				v.Rows = append(v.Rows, view.MergeRow{Field: pr.field, Label: pr.label, Keep: pr.keep, Take: pr.take})
			}
		}
		v.Rows = append(v.Rows, customMergeRows(defs, a.Custom, b.Custom)...)
		return nil
	})
	if err != nil {
		h.Errs.Error(w, r, err)
		return
	}
	h.render(w, r, http.StatusOK, view.MergePage(h.shell(w, r, "Merge companies", "companies"), v))
}

// CompanyMergeSave merges the duplicate into the company with the chosen
// fields.
func (h *Handlers) CompanyMergeSave(w http.ResponseWriter, r *http.Request) {
	h.mergeSave(w, r, "/companies", "company", func(tx *store.Tx, p crm.Principal, into, from crm.ID, take map[string]bool) error {
		_, err := records.MergeCompanies(tx, p, into, from, take)
		return err
	})
}
