package importer

import (
	"context"
	"io"

	"github.com/tandemcrm/tandem/internal/crm"
	"github.com/tandemcrm/tandem/internal/deals"
	"github.com/tandemcrm/tandem/internal/records"
	"github.com/tandemcrm/tandem/internal/store"
)

// DealHeader is the fixed part of a deal export's header, in its stable
// order; custom fields follow by position. Each is a header the deal
// import maps back (the usual CRM export headers), so an exported file
// re-imports as it is: links by pipeline and stage name, the owner's and
// the contact's email, the company's name and domain.
var DealHeader = []string{"Deal Name", "Amount", "Currency", "Pipeline", "Deal Stage", "Status", "Lost Reason", "Close Date",
	"Deal Owner", "Contact Email", "Company Name", "Company Domain", "Source", "Priority", "Tags"}

// dealColumns are the columns of a deal export.
func dealColumns(defs []records.FieldDef) []column[deals.ExportRow] {
	type row = deals.ExportRow
	all := []column[row]{
		{"Deal Name", func(r *row) string { return r.Title }},
		{"Amount", func(r *row) string { return crm.FormatAmount(r.Value, r.Currency) }},
		{"Currency", func(r *row) string { return r.Currency }},
		{"Pipeline", func(r *row) string { return r.PipelineName }},
		{"Deal Stage", func(r *row) string { return r.StageName }},
		{"Status", func(r *row) string { return r.Status }},
		{"Lost Reason", func(r *row) string { return r.LostReason }},
		{"Close Date", func(r *row) string { return r.ExpectedClose }},
		{"Deal Owner", func(r *row) string { return r.OwnerEmail }},
		{"Contact Email", func(r *row) string { return r.ContactEmail }},
		{"Company Name", func(r *row) string { return r.CompanyName }},
		{"Company Domain", func(r *row) string { return r.CompanyDomain }},
		{"Source", func(r *row) string { return r.Source }},
		{"Priority", func(r *row) string { return r.Priority }},
		{"Tags", func(r *row) string { return joinList(r.Tags) }},
	}
	return append(all, customColumns(defs, func(r *row) map[string]any { return r.Custom })...)
}

// ExportDeals streams the deals matching q (filter and sort of the deals
// list) that p may export, to w as CSV or XLSX; it returns how many it
// wrote. Columns choose and order the columns by header.
func ExportDeals(ctx context.Context, db *store.DB, p crm.Principal, q records.ListQuery, format string, columns []string, w io.Writer) (int, error) {
	return exportTable(ctx, db, p, q, format, columns, w, dealTable)
}

// CheckDealExport is CheckExport for deals.
func CheckDealExport(tx *store.Tx, p crm.Principal, q records.ListQuery, format string, columns []string) error {
	return checkTable(tx, p, q, format, columns, dealTable)
}

var dealTable = table[deals.ExportRow]{object: "deal", sheet: "Deals", columns: dealColumns, each: deals.EachDeal, check: deals.CheckExport}
