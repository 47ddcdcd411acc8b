package importer

import (
	"context"
	"io"
	"strconv"

	"github.com/tandemcrm/tandem/internal/crm"
	"github.com/tandemcrm/tandem/internal/records"
	"github.com/tandemcrm/tandem/internal/store"
)

// CompanyHeader is the fixed part of a company export's header, in its
// stable order; custom fields follow by position. Every name maps back to
// its field on a company import, so an exported file re-imports as it is.
var CompanyHeader = []string{"Name", "Domain", "Other Domains", "Industry", "Employees", "Phone", "Tags", "Owner", "Street", "City",
	"State", "Postal Code", "Country", "Parent Company"}

// companyColumns are the columns of a company export.
func companyColumns(defs []records.FieldDef) []column[records.CompanyExportRow] {
	type row = records.CompanyExportRow
	all := []column[row]{
		{"Name", func(r *row) string { return r.Name }},
		{"Domain", func(r *row) string { return r.Domain }},
		{"Other Domains", func(r *row) string {
			if len(r.Domains) < 2 {
				return ""
			}
			return joinList(r.Domains[1:])
		}},
		{"Industry", func(r *row) string { return r.Industry }},
		{"Employees", func(r *row) string {
			if r.Size == 0 {
				return ""
			}
			return strconv.Itoa(r.Size)
		}},
		{"Phone", func(r *row) string { return r.Phone }},
		{"Tags", func(r *row) string { return joinList(r.Tags) }},
		{"Owner", func(r *row) string { return r.OwnerEmail }},
	}
	all = append(all, addressColumns(func(r *row) *records.Address { return &r.Address })...)
	all = append(all, column[row]{"Parent Company", func(r *row) string { return r.Parent }})
	return append(all, customColumns(defs, func(r *row) map[string]any { return r.Custom })...)
}

// ExportCompanies streams the companies matching q (filter and sort of a
// list view) that p may export, to w as CSV or XLSX; it returns how many
// it wrote. Columns choose and order the columns by header, as for
// contacts.
func ExportCompanies(ctx context.Context, db *store.DB, p crm.Principal, q records.ListQuery, format string, columns []string, w io.Writer) (int, error) {
	return exportTable(ctx, db, p, q, format, columns, w, companyTable)
}

// CheckCompanyExport is CheckExport for companies.
func CheckCompanyExport(tx *store.Tx, p crm.Principal, q records.ListQuery, format string, columns []string) error {
	return checkTable(tx, p, q, format, columns, companyTable)
}

var companyTable = table[records.CompanyExportRow]{object: "company", sheet: "Companies", columns: companyColumns,
	each: records.EachCompany, check: records.CheckCompanyExport}

// table is a kind of record exported as a table (CSV or XLSX): its
// columns, how its rows are read and how a query is checked first.
type table[T any] struct {
	object, sheet string
	columns       func([]records.FieldDef) []column[T]
	each          func(*store.Tx, crm.Principal, records.ListQuery, func(*T) error) error
	check         func(*store.Tx, crm.Principal, records.ListQuery) error
}

// exportTable streams the records of t matching q to w; it returns how
// many it wrote.
func exportTable[T any](ctx context.Context, db *store.DB, p crm.Principal, q records.ListQuery, format string, columns []string,
	w io.Writer, t table[T]) (int, error) {
	n := 0
	err := db.Read(ctx, func(tx *store.Tx) error {
		defs, err := records.ListFields(tx, p.WorkspaceID, t.object, false)
		if err != nil {
			return err
		}
		sink, err := tableSink(format, w, t.sheet, t.columns(defs), columns)
		if err != nil {
			return err
		}
		err = t.each(tx, p, q, func(r *T) error {
			n++
			if n%1_000 == 0 {
				if err := ctx.Err(); err != nil {
					return err
				}
			}
			return sink.row(r)
		})
		if err != nil {
			return err
		}
		return sink.close()
	})
	return n, err
}

// checkTable says whether exportTable would accept these arguments,
// without reading the records: a streamed response must fail before its
// first byte.
func checkTable[T any](tx *store.Tx, p crm.Principal, q records.ListQuery, format string, columns []string, t table[T]) error {
	if err := t.check(tx, p, q); err != nil {
		return err
	}
	defs, err := records.ListFields(tx, p.WorkspaceID, t.object, false)
	if err != nil {
		return err
	}
	_, err = tableSink(format, io.Discard, t.sheet, t.columns(defs), columns)
	return err
}
