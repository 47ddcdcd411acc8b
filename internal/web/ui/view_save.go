package ui

import (
	"fmt"
	"net/http"
	"strings"

	"github.com/tandemcrm/tandem/internal/crm"
	"github.com/tandemcrm/tandem/internal/store"
	"github.com/tandemcrm/tandem/internal/views"
)

// ViewCreate saves the list (or the board) as it is shown — filter, and
// for lists sort and columns — as a new view and opens it.
func (h *Handlers) ViewCreate(w http.ResponseWriter, r *http.Request) {
	object := form(r, "object")
	home, ok := viewHome(r, object)
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
	back := home
	if object == "deal" && in.Filter != nil && *in.Filter != "" {
		back = addQuery(home, "filter", *in.Filter)
	}
	if h.viewFailed(w, r, err, object, back) {
		return
	}
	h.flash(w, "ok", "View saved.")
	h.viewBack(w, r, object, withView(home, v.ID))
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
	home, _ := viewHome(r, v.Object)
	if h.viewFailed(w, r, err, v.Object, home) {
		return
	}
	h.flash(w, "ok", "View updated.")
	h.viewBack(w, r, v.Object, withView(home, v.ID))
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
	home, _ := viewHome(r, v.Object)
	if h.viewFailed(w, r, err, v.Object, home) {
		return
	}
	h.flash(w, "ok", "View deleted.")
	h.viewBack(w, r, v.Object, home)
}

// viewInput reads what the form sends: lists send filter, sort and columns;
// the board only its filter, so a deal view keeps the sort and columns it
// was given through the API.
func viewInput(r *http.Request) views.Input {
	var in views.Input
	_ = r.ParseForm()
	if r.PostForm.Has("filter") {
		f := form(r, "filter")
		in.Filter = &f
	}
	if r.PostForm.Has("sort") {
		s := form(r, "sort")
		in.Sort = &s
	}
	if r.PostForm.Has("columns") {
		c := views.ParseColumns(form(r, "columns"))
		in.Columns = &c
	}
	return in
}

// viewHome is where views of object are shown: the list, or for deals the
// board of the pipeline the form names.
func viewHome(r *http.Request, object string) (string, bool) {
	if object == "deal" {
		if pid, err := crm.ParseID(form(r, "pipeline")); err == nil {
			return "/pipeline?pipeline=" + pid.String(), true
		}
		return "/pipeline", true
	}
	k, ok := listKinds[object]
	return k.path, ok
}

func withView(home string, id crm.ID) string { return addQuery(home, "view", id.String()) }

// addQuery appends k=v to a local URL.
func addQuery(u, k, v string) string {
	if strings.Contains(u, "?") {
		return u + "&" + k + "=" + urlQuery(v)
	}
	return u + "?" + k + "=" + urlQuery(v)
}

// viewBack answers a view change: lists swap their #list body; the board
// is loaded whole.
func (h *Handlers) viewBack(w http.ResponseWriter, r *http.Request, object, to string) {
	if object == "deal" && r.Header.Get("HX-Request") == "true" {
		w.Header().Set("HX-Location", fmt.Sprintf(`{"path":%q}`, to))
		w.WriteHeader(http.StatusOK)
		return
	}
	if object == "deal" {
		http.Redirect(w, r, to, http.StatusSeeOther)
		return
	}
	h.back(w, r, to)
}

// viewFailed reports a refused change as a flash on the list or board
// (invalid input, no right to change) and anything else, not found
// included, as an error page. It says whether the request is answered.
func (h *Handlers) viewFailed(w http.ResponseWriter, r *http.Request, err error, object, home string) bool {
	switch crm.ErrorCode(err) {
	case "":
		return false
	case crm.Invalid, crm.Forbidden:
		h.flash(w, "error", "The view was not saved: "+firstMessage(err))
		h.viewBack(w, r, object, home)
		return true
	}
	h.Errs.Error(w, r, err)
	return true
}
