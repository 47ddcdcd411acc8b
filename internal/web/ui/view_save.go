package ui

import (
	"net/http"

	"github.com/tandemcrm/tandem/internal/crm"
	"github.com/tandemcrm/tandem/internal/store"
	"github.com/tandemcrm/tandem/internal/views"
)

// ViewCreate saves the list as it is shown (filter, sort, columns) as a new
// view and opens it.
func (h *Handlers) ViewCreate(w http.ResponseWriter, r *http.Request) {
	object := form(r, "object")
	kind, ok := listKinds[object]
	if !ok {
		h.Errs.Error(w, r, crm.Errorf(crm.NotFound, "No such list."))
		return
	}
	in := viewInput(r)
	in.Object = object
	name, shared := form(r, "name"), form(r, "shared") == "1"
	in.Name, in.Shared = &name, &shared
	var v views.View
	err := h.write(r.Context(), func(tx *store.Tx) (err error) { v, err = views.Create(tx, principal(r), in); return err })
	if h.viewFailed(w, r, err, kind.path) {
		return
	}
	h.flash(w, "ok", "View saved.")
	h.back(w, r, kind.path+"?view="+v.ID.String())
}

// ViewUpdate stores the list's current filter, sort and columns in the view.
func (h *Handlers) ViewUpdate(w http.ResponseWriter, r *http.Request) {
	id, err := crm.ParseID(r.PathValue("id"))
	if err != nil {
		h.Errs.Error(w, r, crm.Errorf(crm.NotFound, "No such view."))
		return
	}
	var v views.View
	err = h.write(r.Context(), func(tx *store.Tx) (err error) { v, err = views.Update(tx, principal(r), id, viewInput(r)); return err })
	if h.viewFailed(w, r, err, listKinds[v.Object].path) {
		return
	}
	h.flash(w, "ok", "View updated.")
	h.back(w, r, listKinds[v.Object].path+"?view="+v.ID.String())
}

// ViewDelete removes a view and shows the whole list.
func (h *Handlers) ViewDelete(w http.ResponseWriter, r *http.Request) {
	id, err := crm.ParseID(r.PathValue("id"))
	if err != nil {
		h.Errs.Error(w, r, crm.Errorf(crm.NotFound, "No such view."))
		return
	}
	var v views.View
	err = h.write(r.Context(), func(tx *store.Tx) error {
		if v, err = views.Get(tx, principal(r), id); err != nil {
			return err
		}
		return views.Delete(tx, principal(r), id)
	})
	if h.viewFailed(w, r, err, listKinds[v.Object].path) {
		return
	}
	h.flash(w, "ok", "View deleted.")
	h.back(w, r, listKinds[v.Object].path)
}

func viewInput(r *http.Request) views.Input {
	f, s, c := form(r, "filter"), form(r, "sort"), views.ParseColumns(form(r, "columns"))
	return views.Input{Filter: &f, Sort: &s, Columns: &c}
}

// viewFailed reports a refused change as a flash on the list (invalid
// input, no right to change) and anything else, not found included, as an
// error page. It says whether the request is answered.
func (h *Handlers) viewFailed(w http.ResponseWriter, r *http.Request, err error, path string) bool {
	switch crm.ErrorCode(err) {
	case "":
		return false
	case crm.Invalid, crm.Forbidden:
		h.flash(w, "error", "The view was not saved: "+firstMessage(err))
		h.back(w, r, path)
		return true
	}
	h.Errs.Error(w, r, err)
	return true
}
