package importer

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/tandemcrm/tandem/internal/crm"
	"github.com/tandemcrm/tandem/internal/records"
	"github.com/tandemcrm/tandem/internal/store"
)

// Export formats.
const (
	FormatCSV   = "csv"
	FormatVCard = "vcf"
	FormatXLSX  = "xlsx"
)

// ContactHeader is the fixed part of a contact export's header, in its
// stable order; custom fields follow by position. Every name maps back to
// its field on import, so an exported file re-imports as it is.
var ContactHeader = []string{"First Name", "Last Name", "Email", "Other Emails", "Phone", "Other Phones", "Job Title",
	"Company Name", "Company Domain", "Lifecycle", "Source", "Tags", "Owner", "Created At", "Street", "City", "State",
	"Postal Code", "Country", "Time Zone", "Links"}

// ExportContacts streams the contacts matching q (filter and sort of a list
// view) that p may export, to w in format; it returns how many it wrote.
// Columns, when given, choose and order the columns by header (a list
// view's columns); unknown names are an error.
func ExportContacts(ctx context.Context, db *store.DB, p crm.Principal, q records.ListQuery, format string, columns []string, w io.Writer) (int, error) {
	n := 0
	err := db.Read(ctx, func(tx *store.Tx) error {
		defs, err := records.ListFields(tx, p.WorkspaceID, "contact", false)
		if err != nil {
			return err
		}
		sink, err := newSink(format, w, defs, columns)
		if err != nil {
			return err
		}
		err = records.EachContact(tx, p, q, func(r records.ExportRow) error {
			n++
			if n%10_000 == 0 {
				if err := ctx.Err(); err != nil {
					return err
				}
			}
			return sink.row(&r)
		})
		if err != nil {
			return err
		}
		return sink.close()
	})
	return n, err
}

// sink writes exported records of type T to a file.
type sink[T any] interface {
	row(*T) error
	close() error
}

func newSink(format string, w io.Writer, defs []records.FieldDef, columns []string) (sink[records.ExportRow], error) {
	switch format {
	case FormatVCard:
		return &vcardSink{w: bufio.NewWriterSize(w, 256<<10)}, nil
	case "", FormatCSV, FormatXLSX:
		return tableSink(format, w, "Contacts", contactColumns(defs), columns)
	}
	return nil, crm.Errorf(crm.Invalid, "Unknown export format %q; use csv, xlsx or vcf.", format)
}

// tableSink is a CSV or XLSX sink of the columns of all named in only (all
// of them when only is empty), in that order.
func tableSink[T any](format string, w io.Writer, sheet string, all []column[T], only []string) (sink[T], error) {
	if format != "" && format != FormatCSV && format != FormatXLSX {
		return nil, crm.Errorf(crm.Invalid, "Unknown export format %q; use csv or xlsx.", format)
	}
	cols, err := chooseColumns(all, only)
	if err != nil {
		return nil, err
	}
	if format == FormatXLSX {
		return newXLSX(w, sheet, cols)
	}
	cw := NewCSVWriter(bufio.NewWriterSize(w, 256<<10))
	s := &csvSink[T]{w: cw, cols: cols}
	return s, s.header()
}

// column is one exported column: its header and how to get its value.
type column[T any] struct {
	header string
	value  func(r *T) string
}

// chooseColumns picks the columns named in only, by header (ignoring case
// and punctuation), in that order; all of them when only is empty.
func chooseColumns[T any](all []column[T], only []string) ([]column[T], error) {
	if len(only) == 0 {
		return all, nil
	}
	by := map[string]column[T]{}
	for _, c := range all {
		by[norm(c.header)] = c
	}
	var out []column[T]
	for _, name := range only {
		c, ok := by[norm(name)]
		if !ok {
			return nil, (crm.FieldErrors{"columns": fmt.Sprintf("There is no column %q to export.", name)}).Err()
		}
		out = append(out, c)
	}
	return out, nil
}

// joinList writes a list cell: the import splits it at "; ".
func joinList(parts []string) string { return strings.Join(parts, "; ") }

// contactColumns are the columns of a contact export, in their stable order.
func contactColumns(defs []records.FieldDef) []column[records.ExportRow] {
	join := joinList
	all := []column[records.ExportRow]{
		{"First Name", func(r *records.ExportRow) string { return r.FirstName }},
		{"Last Name", func(r *records.ExportRow) string { return r.LastName }},
		{"Email", func(r *records.ExportRow) string { return r.Email }},
		{"Other Emails", func(r *records.ExportRow) string {
			var out []string
			for _, e := range r.Emails[min(1, len(r.Emails)):] {
				out = append(out, records.WithLabel(e.Email, e.Label)) // the Email column stays bare, for other programs
			}
			return join(out)
		}},
		{"Phone", func(r *records.ExportRow) string { return r.Phone }},
		{"Other Phones", func(r *records.ExportRow) string {
			var out []string
			for _, e := range r.Phones[min(1, len(r.Phones)):] {
				out = append(out, records.WithLabel(e.Phone, e.Label))
			}
			return join(out)
		}},
		{"Job Title", func(r *records.ExportRow) string { return r.Title }},
		{"Company Name", func(r *records.ExportRow) string { return r.CompanyName }},
		{"Company Domain", func(r *records.ExportRow) string { return r.CompanyDomain }},
		{"Lifecycle", func(r *records.ExportRow) string { return r.Lifecycle }},
		{"Source", func(r *records.ExportRow) string { return r.Source }},
		{"Tags", func(r *records.ExportRow) string { return join(r.Tags) }},
		{"Owner", func(r *records.ExportRow) string { return r.OwnerEmail }},
		{"Created At", func(r *records.ExportRow) string { return r.CreatedAt.UTC().Format(time.RFC3339Nano) }},
	}
	all = append(all, addressColumns(func(r *records.ExportRow) *records.Address { return &r.Address })...)
	all = append(all,
		column[records.ExportRow]{"Time Zone", func(r *records.ExportRow) string { return r.TimeZone }},
		column[records.ExportRow]{"Links", func(r *records.ExportRow) string { return formatLinks(r.Links) }})
	return append(all, customColumns(defs, func(r *records.ExportRow) map[string]any { return r.Custom })...)
}

// addressColumns are the columns of an address: Street (its lines
// separated by line breaks), City, State, Postal Code and Country, the
// headers the address fields map back on import.
func addressColumns[T any](addr func(*T) *records.Address) []column[T] {
	return []column[T]{
		{"Street", func(r *T) string { return addr(r).Street }},
		{"City", func(r *T) string { return addr(r).City }},
		{"State", func(r *T) string { return addr(r).State }},
		{"Postal Code", func(r *T) string { return addr(r).PostalCode }},
		{"Country", func(r *T) string { return addr(r).Country }},
	}
}

// customColumns are the live custom fields' columns, by position.
func customColumns[T any](defs []records.FieldDef, custom func(*T) map[string]any) []column[T] {
	var out []column[T]
	for _, d := range defs {
		if !d.RetiredAt.IsZero() {
			continue
		}
		out = append(out, column[T]{d.Label, func(r *T) string { return customText(d, custom(r)[d.Key]) }})
	}
	return out
}

// customText writes a stored custom value the way the import reads it.
func customText(d records.FieldDef, v any) string {
	switch x := v.(type) {
	case nil:
		return ""
	case string:
		return x
	case bool:
		return strconv.FormatBool(x)
	case float64:
		if d.Type == records.FieldDateTime {
			return store.FromMicros(int64(x)).UTC().Format(time.RFC3339Nano)
		}
		return strconv.FormatFloat(x, 'f', -1, 64)
	case []any:
		parts := make([]string, 0, len(x))
		for _, e := range x {
			parts = append(parts, fmt.Sprint(e))
		}
		sort.Strings(parts)
		return strings.Join(parts, "; ")
	}
	return fmt.Sprint(v)
}

// safeCell keeps a spreadsheet from running a cell as a formula (CSV
// injection): values starting with = or @, or with + or - and then not a
// number, get a leading apostrophe, which the import removes again.
func safeCell(s string) string {
	if s == "" {
		return s
	}
	switch s[0] {
	case '=', '@', '\t', '\r':
		return "'" + s
	case '+', '-':
		if len(s) == 1 || !strings.ContainsRune("0123456789 (.", rune(s[1])) {
			return "'" + s
		}
	case '\'':
		if len(s) > 1 && strings.ContainsRune("=@+-'", rune(s[1])) {
			return "'" + s
		}
	}
	return s
}

// unsafeCell reverses safeCell on import.
func unsafeCell(s string) string {
	if len(s) > 1 && s[0] == '\'' && strings.ContainsRune("=@+-\t\r'", rune(s[1])) {
		return s[1:]
	}
	return s
}

type csvSink[T any] struct {
	w    *CSVWriter
	cols []column[T]
	buf  []string
}

func (s *csvSink[T]) header() error {
	h := make([]string, len(s.cols))
	for i, c := range s.cols {
		h[i] = c.header
	}
	return s.w.Write(h)
}

func (s *csvSink[T]) row(r *T) error {
	s.buf = s.buf[:0]
	for _, c := range s.cols {
		s.buf = append(s.buf, safeCell(c.value(r)))
	}
	return s.w.Write(s.buf)
}

func (s *csvSink[T]) close() error { return s.w.Flush() }

// CheckExport says whether ExportContacts would accept these arguments,
// without running the query: a streamed response must fail before its
// first byte.
func CheckExport(tx *store.Tx, p crm.Principal, q records.ListQuery, format string, columns []string) error {
	if err := records.CheckContactExport(tx, p, q); err != nil {
		return err
	}
	defs, err := records.ListFields(tx, p.WorkspaceID, "contact", false)
	if err != nil {
		return err
	}
	_, err = newSink(format, io.Discard, defs, columns)
	return err
}

// listHeaders are the export columns of a list view's column keys, per
// object.
var listHeaders = map[string]map[string][]string{
	"contact": {
		"name": {"First Name", "Last Name"}, "email": {"Email"}, "phone": {"Phone"}, "title": {"Job Title"},
		"company": {"Company Name"}, "lifecycle": {"Lifecycle"}, "owner": {"Owner"}, "source": {"Source"},
		"tags": {"Tags"}, "created_at": {"Created At"}, "time_zone": {"Time Zone"}, "links": {"Links"},
		"street": {"Street"}, "city": {"City"}, "state": {"State"}, "postal_code": {"Postal Code"}, "country": {"Country"},
		"address": addressHeaders,
	},
	"company": {
		"name": {"Name"}, "domain": {"Domain"}, "industry": {"Industry"}, "size": {"Employees"}, "phone": {"Phone"},
		"tags": {"Tags"}, "owner": {"Owner"},
		"street": {"Street"}, "city": {"City"}, "state": {"State"}, "postal_code": {"Postal Code"}, "country": {"Country"},
		"address": addressHeaders,
	},
}

var addressHeaders = []string{"Street", "City", "State", "Postal Code", "Country"}

// ListColumns turns a list view's column keys (name, email, custom.region,
// …) for object (contact, company) into export column headers, in the
// same order; keys with no export column (updated_at) are left out.
func ListColumns(object string, keys []string, defs []records.FieldDef) []string {
	var out []string
	for _, k := range keys {
		if h, ok := listHeaders[object][k]; ok {
			out = append(out, h...)
			continue
		}
		if key, ok := strings.CutPrefix(k, "custom."); ok {
			for _, d := range defs {
				if d.Key == key && d.RetiredAt.IsZero() {
					out = append(out, d.Label)
				}
			}
		}
	}
	return out
}
