package ui

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"

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
	var saved []importer.SavedTemplate
	var chosen *importer.SavedTemplate
	if fe == nil {
		fe = crm.FieldErrors{}
	}
	err = h.read(r.Context(), func(tx *store.Tx) (err error) {
		if defs, err = importer.LoadDefs(tx, p.WorkspaceID, kind); err != nil {
			return err
		}
		if saved, err = importer.Templates(tx, p, kind.Name()); err != nil {
			return err
		}
		if id := r.URL.Query().Get("template"); id != "" && t == nil {
			chosen = chooseTemplate(saved, id)
			if chosen == nil {
				fe.Add("template", "That template is gone, or is not for "+kind.Name()+": the columns are matched by header.")
			}
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
	switch {
	case t != nil:
		tmpl, status = *t, http.StatusUnprocessableEntity
	case chosen != nil:
		tmpl = chosen.Template
	}
	v := view.ImportMapView{Token: token, Kind: kind.Name(), FileName: r.FormValue("name"), Encoding: string(pv.Dialect.Encoding),
		Delimiter: pv.Dialect.DelimiterName(), Format: string(pv.Format), Sheet: pv.Sheet, Match: tmpl.Dedupe.Match, Policy: string(tmpl.Dedupe.Policy),
		Errors: view.Errors(fe), SaveAs: r.FormValue("save_as")}
	if v.FileName == "" {
		v.FileName = "Your file"
	}
	for _, st := range saved {
		v.Templates = append(v.Templates, view.Option{Value: st.ID.String(), Label: st.Name})
	}
	if chosen != nil {
		v.TemplateID, v.SaveAs = chosen.ID.String(), chosen.Name
		if missing := missingColumns(tmpl, pv.Header); len(missing) > 0 {
			v.TemplateNote = fmt.Sprintf("Not in this file, so left out: %s.", strings.Join(missing, ", "))
		}
	}
	fields := fieldsByHeader(tmpl)
	var opts []view.Option
	for _, f := range kind.Fields(defs) {
		opts = append(opts, view.Option{Value: f.Key, Label: f.Label})
		if f.Match {
			v.MatchOptions = append(v.MatchOptions, view.Option{Value: f.Key, Label: f.Label})
		}
	}
	for i, hd := range pv.Header {
		c := view.ImportMapColumn{Index: i, Header: hd, Options: opts, Field: fields[headerKey(hd)]}
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

// chooseTemplate is the saved template with the id, nil when none is.
func chooseTemplate(saved []importer.SavedTemplate, id string) *importer.SavedTemplate {
	for i := range saved {
		if saved[i].ID.String() == id {
			return &saved[i]
		}
	}
	return nil
}

// headerKey is how a template's column is told to be a file's: as
// importer.Resolve does, ignoring case and surrounding spaces.
func headerKey(h string) string { return strings.ToLower(strings.TrimSpace(h)) }

// fieldsByHeader is what t maps each header to; "+new" for a column it
// makes a custom field of.
func fieldsByHeader(t importer.Template) map[string]string {
	out := map[string]string{}
	for _, c := range t.Columns {
		out[headerKey(c.Header)] = c.Field
	}
	for _, nf := range t.NewFields {
		out[headerKey(nf.Header)] = "+new"
	}
	return out
}

// missingColumns are the headers t maps that the file does not have.
func missingColumns(t importer.Template, header []string) []string {
	has := map[string]bool{}
	for _, h := range header {
		has[headerKey(h)] = true
	}
	var out []string
	for _, c := range t.Columns {
		if c.Field != "" && !has[headerKey(c.Header)] {
			out = append(out, c.Header)
		}
	}
	return out
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
		if name := form(r, "save_as"); name != "" {
			// What the import will use: a real run has made the new
			// fields and maps their columns to them; a dry run has not.
			st := t
			if !imp.DryRun {
				st = imp.Template
			}
			if _, err := importer.SaveTemplate(tx, p, name, st); err != nil {
				return err
			}
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
