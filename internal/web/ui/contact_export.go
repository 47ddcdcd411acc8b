package ui

import (
	"net/http"
	"strings"

	"github.com/tandemcrm/tandem/internal/importer"
	"github.com/tandemcrm/tandem/internal/records"
	"github.com/tandemcrm/tandem/internal/store"
)

// ContactExport downloads the contacts list as the user sees it: its
// filter, sort and columns (list column keys), as CSV, XLSX or vCard.
func (h *Handlers) ContactExport(w http.ResponseWriter, r *http.Request) {
	p := principal(r)
	q := r.URL.Query()
	lq := records.ListQuery{Filter: q.Get("filter"), Sort: q.Get("sort")}
	format := q.Get("format")
	if format == "" {
		format = importer.FormatCSV
	}
	var cols []string
	err := h.read(r.Context(), func(tx *store.Tx) error {
		if keys := q.Get("columns"); keys != "" && format != importer.FormatVCard {
			defs, err := records.ListFields(tx, p.WorkspaceID, "contact", false)
			if err != nil {
				return err
			}
			cols = importer.ListColumns(strings.Split(keys, ","), defs)
		}
		return importer.CheckExport(tx, p, lq, format, cols)
	})
	if err != nil {
		h.Errs.Error(w, r, err)
		return
	}
	types := map[string]string{importer.FormatCSV: "text/csv; charset=utf-8", importer.FormatVCard: "text/vcard; charset=utf-8",
		importer.FormatXLSX: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}
	w.Header().Set("Content-Type", types[format])
	w.Header().Set("Content-Disposition", `attachment; filename="contacts.`+format+`"`)
	w.Header().Set("Cache-Control", "no-store")
	n, err := importer.ExportContacts(r.Context(), h.DB, p, lq, format, cols, w)
	if err != nil {
		h.Log.WarnContext(r.Context(), "export stopped", "err", err)
	}
	h.exported(r.Context(), p, "contact", format, n)
}
