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
	"Company Name", "Company Domain", "Lifecycle", "Source", "Tags", "Owner", "Created At"}

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
			return sink.row(r)
		})
		if err != nil {
			return err
		}
		return sink.close()
	})
	return n, err
}

type sink interface {
	row(records.ExportRow) error
	close() error
}

func newSink(format string, w io.Writer, defs []records.FieldDef, columns []string) (sink, error) {
	switch format {
	case "", FormatCSV, FormatXLSX:
		cols, err := exportColumns(defs, columns)
		if err != nil {
			return nil, err
		}
		if format == FormatXLSX {
			return newXLSX(w, cols)
		}
		cw := NewCSVWriter(bufio.NewWriterSize(w, 256<<10))
		s := &csvSink{w: cw, cols: cols}
		return s, s.header()
	case FormatVCard:
		return &vcardSink{w: bufio.NewWriterSize(w, 256<<10)}, nil
	}
	return nil, crm.Errorf(crm.Invalid, "Unknown export format %q; use csv, xlsx or vcf.", format)
}

// column is one exported column: its header and how to get its value.
type column struct {
	header string
	value  func(r *records.ExportRow) string
}

func exportColumns(defs []records.FieldDef, only []string) ([]column, error) {
	join := func(parts []string) string { return strings.Join(parts, "; ") }
	all := []column{
		{"First Name", func(r *records.ExportRow) string { return r.FirstName }},
		{"Last Name", func(r *records.ExportRow) string { return r.LastName }},
		{"Email", func(r *records.ExportRow) string { return r.Email }},
		{"Other Emails", func(r *records.ExportRow) string {
			var out []string
			for _, e := range r.Emails[min(1, len(r.Emails)):] {
				out = append(out, e.Email)
			}
			return join(out)
		}},
		{"Phone", func(r *records.ExportRow) string { return r.Phone }},
		{"Other Phones", func(r *records.ExportRow) string {
			var out []string
			for _, e := range r.Phones[min(1, len(r.Phones)):] {
				out = append(out, e.Phone)
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
	for _, d := range defs {
		if !d.RetiredAt.IsZero() {
			continue
		}
		d := d
		all = append(all, column{d.Label, func(r *records.ExportRow) string { return customText(d, r.Custom[d.Key]) }})
	}
	if len(only) == 0 {
		return all, nil
	}
	by := map[string]column{}
	for _, c := range all {
		by[norm(c.header)] = c
	}
	var out []column
	for _, name := range only {
		c, ok := by[norm(name)]
		if !ok {
			return nil, (crm.FieldErrors{"columns": fmt.Sprintf("There is no column %q to export.", name)}).Err()
		}
		out = append(out, c)
	}
	return out, nil
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

type csvSink struct {
	w    *CSVWriter
	cols []column
	buf  []string
}

func (s *csvSink) header() error {
	h := make([]string, len(s.cols))
	for i, c := range s.cols {
		h[i] = c.header
	}
	return s.w.Write(h)
}

func (s *csvSink) row(r records.ExportRow) error {
	s.buf = s.buf[:0]
	for _, c := range s.cols {
		s.buf = append(s.buf, safeCell(c.value(&r)))
	}
	return s.w.Write(s.buf)
}

func (s *csvSink) close() error { return s.w.Flush() }

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

// listHeaders are the export columns of a list view's column keys.
var listHeaders = map[string][]string{
	"name": {"First Name", "Last Name"}, "email": {"Email"}, "phone": {"Phone"}, "title": {"Job Title"},
	"company": {"Company Name"}, "lifecycle": {"Lifecycle"}, "owner": {"Owner"}, "source": {"Source"},
	"tags": {"Tags"}, "created_at": {"Created At"},
}

// ListColumns turns a contact list view's column keys (name, email,
// custom.region, …) into export column headers, in the same order; keys
// with no export column (updated_at) are left out.
func ListColumns(keys []string, defs []records.FieldDef) []string {
	var out []string
	for _, k := range keys {
		if h, ok := listHeaders[k]; ok {
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
