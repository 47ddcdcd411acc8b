package importer

import (
	"archive/zip"
	"bufio"
	"io"
)

// xlsxSink writes a one-sheet Office Open XML workbook, streaming: cells
// are inline strings written straight into the zip entry, so memory stays
// flat however many rows. Written by hand rather than with excelize: the
// format needed for a list of text cells is five small XML parts, and this
// way nothing is buffered in temporary files.
type xlsxSink[T any] struct {
	z    *zip.Writer
	w    *bufio.Writer
	cols []column[T]
	rows int
}

// xlsxMaxRows is a sheet's row limit in Excel.
const xlsxMaxRows = 1_048_576

func newXLSX[T any](w io.Writer, sheet string, cols []column[T]) (*xlsxSink[T], error) {
	z := zip.NewWriter(w)
	parts := []struct{ name, body string }{
		{"[Content_Types].xml", `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>`},
		{"_rels/.rels", `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>`},
		{"xl/workbook.xml", `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="` + sheet + `" sheetId="1" r:id="rId1"/></sheets></workbook>`},
		{"xl/_rels/workbook.xml.rels", `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>`},
	}
	for _, p := range parts {
		f, err := z.Create(p.name)
		if err != nil {
			return nil, err
		}
		if _, err := io.WriteString(f, p.body); err != nil {
			return nil, err
		}
	}
	f, err := z.Create("xl/worksheets/sheet1.xml")
	if err != nil {
		return nil, err
	}
	s := &xlsxSink[T]{z: z, w: bufio.NewWriterSize(f, 256<<10), cols: cols}
	s.w.WriteString(`<?xml version="1.0" encoding="UTF-8" standalone="yes"?>` + "\n" +
		`<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>`)
	h := make([]string, len(cols))
	for i, c := range cols {
		h[i] = c.header
	}
	s.write(h)
	return s, nil
}

func (s *xlsxSink[T]) write(cells []string) {
	s.rows++
	s.w.WriteString("<row>")
	for _, c := range cells {
		if c == "" {
			s.w.WriteString("<c/>")
			continue
		}
		s.w.WriteString(`<c t="inlineStr"><is><t xml:space="preserve">`)
		xmlText(s.w, c)
		s.w.WriteString("</t></is></c>")
	}
	s.w.WriteString("</row>")
}

func (s *xlsxSink[T]) row(r *T) error {
	if s.rows >= xlsxMaxRows {
		return errf("xlsx: more than %d rows do not fit one sheet; export CSV instead", xlsxMaxRows-1)
	}
	cells := make([]string, len(s.cols))
	for i, c := range s.cols {
		cells[i] = c.value(r)
	}
	s.write(cells)
	return nil
}

func (s *xlsxSink[T]) close() error {
	s.w.WriteString("</sheetData></worksheet>")
	if err := s.w.Flush(); err != nil {
		return err
	}
	return s.z.Close()
}

// xmlText escapes text for XML and drops the characters XML 1.0 cannot
// carry at all (most control characters).
func xmlText(w *bufio.Writer, s string) {
	for _, r := range s {
		switch {
		case r == '<':
			w.WriteString("&lt;")
		case r == '>':
			w.WriteString("&gt;")
		case r == '&':
			w.WriteString("&amp;")
		case r == '\t' || r == '\n' || r == '\r':
			w.WriteRune(r)
		case r < 0x20 || r == 0xFFFE || r == 0xFFFF:
		default:
			w.WriteRune(r)
		}
	}
}
