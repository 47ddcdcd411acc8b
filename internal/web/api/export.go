package api

import (
	"context"
	"net/http"
	"strings"

	"github.com/danielgtaylor/huma/v2"

	"github.com/tandemcrm/tandem/internal/audit"
	"github.com/tandemcrm/tandem/internal/importer"
	"github.com/tandemcrm/tandem/internal/records"
	"github.com/tandemcrm/tandem/internal/store"
)

type exportInput struct {
	Filter  string `query:"filter" doc:"A filter-language expression, as for list-contacts"`
	Sort    string `query:"sort" doc:"Sort fields, - for descending; default created_at (oldest first, the order a re-import keeps)"`
	Columns string `query:"columns" doc:"Comma-separated column headers to export, in order (default: every column)"`
	Format  string `query:"format" enum:"csv,xlsx,vcf" default:"csv"`
}

func (a *API) exportRoutes() {
	huma.Register(a.huma, huma.Operation{OperationID: "export-contacts", Method: http.MethodGet, Path: "/contacts/export",
		Tags: []string{"Import and export"}, Summary: "Export contacts",
		Description: "Streams every contact matching the filter that you may see, as CSV (default), XLSX or vCard 3.0. " +
			"Columns come in a stable order: " + strings.Join(importer.ContactHeader, ", ") + ", then custom fields. " +
			"Managers, admins and owners may export.",
		Responses: map[string]*huma.Response{"200": {Description: "The file", Content: map[string]*huma.MediaType{
			"text/csv": {}, "text/vcard": {}, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": {}}}},
	}, a.exportContacts)
}

var exportTypes = map[string]struct{ mime, ext string }{
	importer.FormatCSV:   {"text/csv; charset=utf-8", "csv"},
	importer.FormatVCard: {"text/vcard; charset=utf-8", "vcf"},
	importer.FormatXLSX:  {"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx"},
}

func (a *API) exportContacts(ctx context.Context, in *exportInput) (*huma.StreamResponse, error) {
	p := principal(ctx)
	q := records.ListQuery{Filter: in.Filter, Sort: in.Sort}
	var cols []string
	if in.Columns != "" {
		cols = strings.Split(in.Columns, ",")
	}
	if err := a.DB.Read(ctx, func(tx *store.Tx) error { return importer.CheckExport(tx, p, q, in.Format, cols) }); err != nil {
		return nil, a.fail(ctx, err)
	}
	t := exportTypes[in.Format]
	return &huma.StreamResponse{Body: func(hctx huma.Context) {
		hctx.SetHeader("Content-Type", t.mime)
		hctx.SetHeader("Content-Disposition", `attachment; filename="contacts.`+t.ext+`"`)
		hctx.SetStatus(http.StatusOK)
		n, err := importer.ExportContacts(ctx, a.DB, p, q, in.Format, cols, hctx.BodyWriter())
		if err != nil {
			// The status is sent; all that is left is to stop and log.
			a.Log.WarnContext(ctx, "export stopped", "err", err)
		}
		if err := audit.ListExported(ctx, a.DB, p, "contact", in.Format, n); err != nil {
			a.Log.ErrorContext(ctx, "export not audited", "err", err)
		}
	}}, nil
}
