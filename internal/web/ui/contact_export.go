package ui

import (
	"context"
	"io"
	"net/http"
	"strings"

	"github.com/tandemcrm/tandem/internal/crm"
	"github.com/tandemcrm/tandem/internal/importer"
	"github.com/tandemcrm/tandem/internal/records"
	"github.com/tandemcrm/tandem/internal/store"
)

// ContactExport downloads the contacts list as the user sees it: its
// filter, sort and columns (list column keys), as CSV, XLSX or vCard.
func (h *Handlers) ContactExport(w http.ResponseWriter, r *http.Request) {
	h.listExport(w, r, "contact", importer.CheckExport, importer.ExportContacts)
}

// CompanyExport downloads the companies list as the user sees it, as CSV
// or XLSX.
func (h *Handlers) CompanyExport(w http.ResponseWriter, r *http.Request) {
	h.listExport(w, r, "company", importer.CheckCompanyExport, importer.ExportCompanies)
}

// DealExport downloads the deals list as the user sees it (filter and
// sort), as CSV or XLSX.
func (h *Handlers) DealExport(w http.ResponseWriter, r *http.Request) {
	h.listExport(w, r, "deal", importer.CheckDealExport, importer.ExportDeals)
}

// listExport streams a list view of object (contact, company, deal) as a file,
// after checking everything that can fail before the first byte.
func (h *Handlers) listExport(w http.ResponseWriter, r *http.Request, object string,
	check func(*store.Tx, crm.Principal, records.ListQuery, string, []string) error,
	export func(context.Context, *store.DB, crm.Principal, records.ListQuery, string, []string, io.Writer) (int, error)) {
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
			defs, err := records.ListFields(tx, p.WorkspaceID, object, false)
			if err != nil {
				return err
			}
			cols = importer.ListColumns(object, strings.Split(keys, ","), defs)
		}
		return check(tx, p, lq, format, cols)
	})
	if err != nil {
		h.Errs.Error(w, r, err)
		return
	}
	types := map[string]string{importer.FormatCSV: "text/csv; charset=utf-8", importer.FormatVCard: "text/vcard; charset=utf-8",
		importer.FormatXLSX: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}
	name := map[string]string{"contact": "contacts", "company": "companies", "deal": "deals"}[object]
	w.Header().Set("Content-Type", types[format])
	w.Header().Set("Content-Disposition", `attachment; filename="`+name+`.`+format+`"`)
	w.Header().Set("Cache-Control", "no-store")
	n, err := export(r.Context(), h.DB, p, lq, format, cols, w)
	if err != nil {
		h.Log.WarnContext(r.Context(), "export stopped", "err", err)
	}
	h.exported(r.Context(), p, object, format, n)
}
