package ui

import (
	"net/http"
	"slices"
	"strings"

	"github.com/tandemcrm/tandem/internal/consent"
	"github.com/tandemcrm/tandem/internal/crm"
	"github.com/tandemcrm/tandem/internal/filter"
	"github.com/tandemcrm/tandem/internal/records"
	"github.com/tandemcrm/tandem/internal/store"
	"github.com/tandemcrm/tandem/internal/views"
	"github.com/tandemcrm/tandem/internal/web/respond"
	"github.com/tandemcrm/tandem/internal/web/view"
)

// listKinds are the objects with list views: object → path and noun.
var listKinds = map[string]struct{ path, nouns, title string }{
	"contact": {"/contacts", "contacts", "Contacts"},
	"company": {"/companies", "companies", "Companies"},
}

// ContactList is the contacts list view.
func (h *Handlers) ContactList(w http.ResponseWriter, r *http.Request) {
	h.renderContacts(w, r, http.StatusOK, view.ContactForm{CompanyID: r.URL.Query().Get("company")})
}

// CompanyList is the companies list view.
func (h *Handlers) CompanyList(w http.ResponseWriter, r *http.Request) {
	h.renderCompanies(w, r, http.StatusOK, view.CompanyForm{})
}

// renderContacts renders the list around quick-add form f (blank, or as
// typed with its messages), so a refused plain post still shows the table.
func (h *Handlers) renderContacts(w http.ResponseWriter, r *http.Request, status int, f view.ContactForm) {
	h.showList(w, r, status, "contact", readListState(r.URL.Query(), "/contacts"), f, nil)
}

func (h *Handlers) renderCompanies(w http.ResponseWriter, r *http.Request, status int, f view.CompanyForm) {
	h.showList(w, r, status, "company", readListState(r.URL.Query(), "/companies"), f, nil)
}

// showList renders a list page, or only its body for htmx requests aimed
// at #list (filter, sort, paging, views).
func (h *Handlers) showList(w http.ResponseWriter, r *http.Request, status int, object string, st listState, form any, confirm *view.BulkConfirm) {
	p := principal(r)
	var v view.ListView
	err := h.read(r.Context(), func(tx *store.Tx) (err error) {
		v, err = loadList(tx, p, object, st)
		if err != nil {
			return err
		}
		if f, ok := form.(view.ContactForm); ok {
			f.CompanyName = companyName(tx, p, f.CompanyID)
			f.Columns = v.ColumnsKey
			form = f
		} else if f, ok := form.(view.CompanyForm); ok {
			f.Columns = v.ColumnsKey
			form = f
		}
		return err
	})
	if err != nil {
		h.Errs.Error(w, r, err)
		return
	}
	v.Form = form
	if v.FilterError != "" && status == http.StatusOK {
		status = http.StatusUnprocessableEntity
	}
	if respond.IsHTMX(r) && r.Header.Get("HX-Target") == "list" {
		h.render(w, r, status, view.ListBody(v, h.takeFlashes(w, r), confirm))
		return
	}
	s := h.shell(w, r, listKinds[object].title, listKinds[object].nouns)
	if confirm != nil {
		h.render(w, r, status, view.ListPageConfirm(s, v, confirm))
		return
	}
	h.render(w, r, status, view.ListPage(s, v))
}

// loadList reads everything a list shows.
func loadList(tx *store.Tx, p crm.Principal, object string, st listState) (view.ListView, error) {
	kind := listKinds[object]
	v := view.ListView{Object: object, Path: kind.path, Nouns: kind.nouns, CanWrite: p.Role != crm.RoleReadOnly}
	defs, err := records.ListFields(tx, p.WorkspaceID, object, false)
	if err != nil {
		return v, err
	}
	coDefs := defs
	if object == "contact" {
		if coDefs, err = records.ListFields(tx, p.WorkspaceID, "company", false); err != nil {
			return v, err
		}
	}
	members, err := views.Members(tx, p.WorkspaceID)
	if err != nil {
		return v, err
	}
	saved, err := views.List(tx, p, object)
	if err != nil {
		return v, err
	}
	if st.ViewID != 0 {
		i := slices.IndexFunc(saved, func(x views.View) bool { return x.ID == st.ViewID })
		if i < 0 {
			return v, crm.Errorf(crm.NotFound, "No such view.")
		}
		st, v.Dirty = applyView(st, saved[i])
	}
	for _, sv := range saved {
		t := view.ViewTab{ID: sv.ID.String(), Name: sv.Name, URL: kind.path + "?view=" + sv.ID.String(), Shared: sv.Shared,
			Mine: sv.OwnerID == p.UserID || (sv.Shared && p.Role.Rank() >= crm.RoleAdmin.Rank()), On: sv.ID == st.ViewID}
		v.Views = append(v.Views, t)
		if t.On {
			v.View = &v.Views[len(v.Views)-1]
		}
	}
	if v.View != nil { // v.Views grew after the pointer was taken
		v.View = &v.Views[slices.IndexFunc(v.Views, func(t view.ViewTab) bool { return t.On })]
	}
	all := views.Columns(object, defs)
	cols := views.Pick(object, all, views.ParseColumns(st.Columns))
	who := memberNames(members)
	page, st, err := queryPage(tx, p, object, st, cols, who, &v)
	if err != nil {
		return v, err
	}
	v.Filter, v.Sort, v.ColumnsKey, v.Self = st.Filter, st.Sort, st.Columns, st.url()
	fillColumns(&v, st, all, cols)
	schema := records.CompanySchema("co", defs)
	if object == "contact" {
		purposes, err := consent.PurposeKeys(tx, p.WorkspaceID)
		if err != nil {
			return v, err
		}
		schema = records.ContactSchema("c", defs, coDefs, purposes...)
	}
	v.Builder = builderFor(st.Filter, builderFields(schema, map[string][]records.FieldDef{object: defs, "company": coDefs}))
	v.Bulk = bulkFields(object, defs, members)
	v.Total = formatTotal(page.total, kind.nouns)
	v.Page = len(st.Prev) + 1
	if st.Cursor != "" {
		v.Page++
		v.PrevURL, v.FirstURL = st.prev(), st.first().url()
	}
	if page.next != "" {
		v.NextURL = st.next(page.next, page.total)
	}
	return v, nil
}

// applyView fills what the URL leaves out from the saved view, and says
// whether the list now differs from it.
func applyView(st listState, sv views.View) (listState, bool) {
	cols := strings.Join(sv.Columns, ",")
	if !st.hasFilter {
		st.Filter = sv.Filter
	}
	if !st.hasSort {
		st.Sort = sv.Sort
	}
	if !st.hasColumns {
		st.Columns = cols
	}
	return st, canonical(st.Filter) != sv.Filter || st.Sort != sv.Sort || st.Columns != cols
}

func canonical(expr string) string {
	if e, err := filter.Parse(expr); err == nil {
		return e.String()
	}
	return expr
}

func fillColumns(v *view.ListView, st listState, all, cols []views.Column) {
	shown := map[string]bool{}
	for _, c := range cols {
		lc := view.ListColumn{Key: c.Key, Label: c.Label, Num: c.Number}
		if c.Sort != "" {
			lc.SortURL, lc.Dir = st.sortBy(c.Sort)
		}
		v.Columns = append(v.Columns, lc)
		shown[c.Key] = true
	}
	for _, c := range all {
		v.Choices = append(v.Choices, view.ColumnChoice{Key: c.Key, Label: c.Label, On: shown[c.Key]})
	}
}

func formatTotal(total, nouns string) string {
	if total == "" {
		return ""
	}
	digits := strings.TrimSuffix(total, "+")
	for i := len(digits) - 3; i > 0; i -= 3 {
		digits = digits[:i] + "," + digits[i:]
	}
	if total == "1" {
		return "1 " + map[string]string{"contacts": "contact", "companies": "company"}[nouns]
	}
	if strings.HasSuffix(total, "+") {
		digits += "+"
	}
	return digits + " " + nouns
}
