package ui

import (
	"net/http"
	"strconv"

	"github.com/tandemcrm/tandem/internal/crm"
	"github.com/tandemcrm/tandem/internal/importer"
	"github.com/tandemcrm/tandem/internal/store"
	"github.com/tandemcrm/tandem/internal/web/view"
)

// ImportMapShow is the mapping step: each column of the uploaded file with
// the field it was matched to, editable, and the dedupe choices.
func (h *Handlers) ImportMapShow(w http.ResponseWriter, r *http.Request) {
	h.importMap(w, r, nil, nil)
}

// importMap renders the mapping of an upload: automatic, or t as submitted
// with the problems in fe.
func (h *Handlers) importMap(w http.ResponseWriter, r *http.Request, t *importer.Template, fe crm.FieldErrors) {
	p := principal(r)
	token := r.PathValue("token")
	path, err := h.uploadPath(p, token)
	if err != nil {
		h.Errs.Error(w, r, err)
		return
	}
	kind, err := importer.KindNamed(r.FormValue("kind"))
	if err != nil {
		h.Errs.Error(w, r, err)
		return
	}
	var pv importer.Preview
	var defs importer.Defs
	err = h.read(r.Context(), func(tx *store.Tx) (err error) {
		if defs, err = importer.LoadDefs(tx, p.WorkspaceID, kind); err != nil {
			return err
		}
		pv, err = importer.PreviewSheet(tx, p.WorkspaceID, kind, path, r.FormValue("sheet"), nil)
		return err
	})
	if err != nil {
		h.renderImportNew(w, r, http.StatusUnprocessableEntity, crm.ErrorMessage(err))
		return
	}
	tmpl := pv.Template
	status := http.StatusOK
	if t != nil {
		tmpl, status = *t, http.StatusUnprocessableEntity
	}
	v := view.ImportMapView{Token: token, Kind: kind.Name(), FileName: r.FormValue("name"), Encoding: string(pv.Dialect.Encoding),
		Delimiter: pv.Dialect.DelimiterName(), Format: string(pv.Format), Sheet: pv.Sheet, Match: tmpl.Dedupe.Match, Policy: string(tmpl.Dedupe.Policy), Errors: view.Errors(fe)}
	if v.FileName == "" {
		v.FileName = "Your file"
	}
	var opts []view.Option
	for _, f := range kind.Fields(defs) {
		opts = append(opts, view.Option{Value: f.Key, Label: f.Label})
		if f.Match {
			v.MatchOptions = append(v.MatchOptions, view.Option{Value: f.Key, Label: f.Label})
		}
	}
	for i, hd := range pv.Header {
		c := view.ImportMapColumn{Index: i, Header: hd, Options: opts}
		if i < len(tmpl.Columns) {
			c.Field = tmpl.Columns[i].Field
		}
		if i < len(pv.Sample) {
			c.Sample = pv.Sample[i]
			if len(c.Sample) > 60 {
				c.Sample = c.Sample[:60] + "…"
			}
		}
		v.Columns = append(v.Columns, c)
	}
	v.ValuesField = importer.ValuesField(kind.Name())
	v.CanAddFields = kind.Name() == "contacts" || kind.Name() == "companies" || kind.Name() == "deals"
	for field, m := range tmpl.Values {
		for from, to := range m {
			if field == v.ValuesField {
				v.Values += from + " = " + to + "\n"
			} else {
				v.Values += field + ": " + from + " = " + to + "\n"
			}
		}
	}
	h.render(w, r, status, view.ImportMapPage(h.shell(w, r, "Import: map columns", "import"), v))
}

// ImportStart creates the import (or dry run) from the submitted mapping
// and shows its progress.
func (h *Handlers) ImportStart(w http.ResponseWriter, r *http.Request) {
	p := principal(r)
	if err := r.ParseForm(); err != nil {
		h.Errs.Error(w, r, err)
		return
	}
	path, err := h.uploadPath(p, r.PathValue("token"))
	if err != nil {
		h.Errs.Error(w, r, err)
		return
	}
	kind, err := importer.KindNamed(r.PostFormValue("kind"))
	if err != nil {
		h.Errs.Error(w, r, err)
		return
	}
	var header []string
	if err := h.read(r.Context(), func(tx *store.Tx) error {
		pv, err := importer.PreviewSheet(tx, p.WorkspaceID, kind, path, form(r, "sheet"), nil)
		header = pv.Header
		return err
	}); err != nil {
		h.Errs.Error(w, r, err)
		return
	}
	t := importer.Template{Kind: kind.Name(), Dedupe: importer.Dedupe{Match: form(r, "match"), Policy: importer.Policy(form(r, "policy"))}}
	if t.Dedupe.Match == "" {
		t.Dedupe.Policy = importer.CreateAll
	}
	for i, hd := range header {
		f := form(r, "col."+strconv.Itoa(i))
		if f == "+new" {
			t.NewFields, f = append(t.NewFields, importer.NewField{Header: hd}), ""
		}
		t.Columns = append(t.Columns, importer.ColumnMap{Header: hd, Field: f})
	}
	t.Values = importer.ParseValueLines(kind, r.PostFormValue("values"))
	var imp importer.Import
	err = h.write(r.Context(), func(tx *store.Tx) (err error) {
		imp, err = importer.Create(tx, p, importer.NewImport{Kind: kind.Name(), FileName: form(r, "name"),
			FilePath: path, Template: &t, DryRun: form(r, "dry_run") != "", Sheet: form(r, "sheet")})
		if err != nil {
			return err
		}
		return importer.Start(tx, h.Queue, h.DB, imp, h.Log)
	})
	if fe := crm.ErrorFields(err); fe != nil {
		r.Form.Set("kind", kind.Name())
		h.importMap(w, r, &t, fe)
		return
	}
	if err != nil {
		h.Errs.Error(w, r, err)
		return
	}
	http.Redirect(w, r, "/imports/"+imp.ID.String(), http.StatusSeeOther)
}
