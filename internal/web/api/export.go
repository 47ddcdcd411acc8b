package api

import (
	"context"
	"io"
	"net/http"
	"strings"

	"github.com/danielgtaylor/huma/v2"

	"github.com/tandemcrm/tandem/internal/audit"
	"github.com/tandemcrm/tandem/internal/crm"
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
	huma.Register(a.huma, huma.Operation{OperationID: "export-companies", Method: http.MethodGet, Path: "/companies/export",
		Tags: []string{"Import and export"}, Summary: "Export companies",
		Description: "Streams every company matching the filter that you may see, as CSV (default) or XLSX. " +
			"Columns come in a stable order: " + strings.Join(importer.CompanyHeader, ", ") + ", then custom fields; " +
			"each header maps back to its field on a company import. Managers, admins and owners may export.",
		Responses: map[string]*huma.Response{"200": {Description: "The file", Content: map[string]*huma.MediaType{
			"text/csv": {}, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": {}}}},
	}, a.exportCompanies)
	huma.Register(a.huma, huma.Operation{OperationID: "export-deals", Method: http.MethodGet, Path: "/deals/export",
		Tags: []string{"Import and export"}, Summary: "Export deals",
		Description: "Streams every deal matching the filter that you may see, as CSV (default) or XLSX. " +
			"Columns come in a stable order: " + strings.Join(importer.DealHeader, ", ") + ", then custom fields; " +
			"each header maps back to its field on a deal import. Managers, admins and owners may export.",
		Responses: map[string]*huma.Response{"200": {Description: "The file", Content: map[string]*huma.MediaType{
			"text/csv": {}, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": {}}}},
	}, a.exportDeals)
}

func (a *API) exportDeals(ctx context.Context, in *companyExportInput) (*huma.StreamResponse, error) {
	return a.export(ctx, "deal", exportInput(*in), importer.CheckDealExport, importer.ExportDeals)
}

// companyExportInput is the query of the exports that write CSV or XLSX
// only (companies, deals).
type companyExportInput struct {
	Filter  string `query:"filter" doc:"A filter-language expression, as for the list of the same records"`
	Sort    string `query:"sort" doc:"Sort fields, - for descending; default created_at (oldest first, the order a re-import keeps)"`
	Columns string `query:"columns" doc:"Comma-separated column headers to export, in order (default: every column)"`
	Format  string `query:"format" enum:"csv,xlsx" default:"csv"`
}

var exportTypes = map[string]struct{ mime, ext string }{
	importer.FormatCSV:   {"text/csv; charset=utf-8", "csv"},
	importer.FormatVCard: {"text/vcard; charset=utf-8", "vcf"},
	importer.FormatXLSX:  {"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx"},
}

func (a *API) exportContacts(ctx context.Context, in *exportInput) (*huma.StreamResponse, error) {
	return a.export(ctx, "contact", exportInput(*in), importer.CheckExport, importer.ExportContacts)
}

func (a *API) exportCompanies(ctx context.Context, in *companyExportInput) (*huma.StreamResponse, error) {
	return a.export(ctx, "company", exportInput(*in), importer.CheckCompanyExport, importer.ExportCompanies)
}

// export streams a list of object (contact, company) as a file, after
// checking everything that can fail before the status is sent.
func (a *API) export(ctx context.Context, object string, in exportInput,
	check func(*store.Tx, crm.Principal, records.ListQuery, string, []string) error,
	export func(context.Context, *store.DB, crm.Principal, records.ListQuery, string, []string, io.Writer) (int, error)) (*huma.StreamResponse, error) {
	p := principal(ctx)
	q := records.ListQuery{Filter: in.Filter, Sort: in.Sort}
	var cols []string
	if in.Columns != "" {
		cols = strings.Split(in.Columns, ",")
	}
	if err := a.DB.Read(ctx, func(tx *store.Tx) error { return check(tx, p, q, in.Format, cols) }); err != nil {
		return nil, a.fail(ctx, err)
	}
	t := exportTypes[in.Format]
	name := map[string]string{"contact": "contacts", "company": "companies", "deal": "deals"}[object]
	return &huma.StreamResponse{Body: func(hctx huma.Context) {
		hctx.SetHeader("Content-Type", t.mime)
		hctx.SetHeader("Content-Disposition", `attachment; filename="`+name+`.`+t.ext+`"`)
		hctx.SetStatus(http.StatusOK)
		n, err := export(ctx, a.DB, p, q, in.Format, cols, hctx.BodyWriter())
		if err != nil {
			// The status is sent; all that is left is to stop and log.
			a.Log.WarnContext(ctx, "export stopped", "err", err)
		}
		if err := audit.ListExported(ctx, a.DB, p, object, in.Format, n); err != nil {
			a.Log.ErrorContext(ctx, "export not audited", "err", err)
		}
	}}, nil
}
