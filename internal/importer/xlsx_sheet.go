package importer

import (
	"archive/zip"
	"bufio"
	"compress/flate"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/tandemcrm/tandem/internal/crm"
)

// sheetReader streams the rows of one worksheet. Row.Line is the sheet's
// row number (what Excel shows at the left), so the report points at the
// row the user sees.
type sheetReader struct {
	b         *xlsxBook
	dec       *xml.Decoder
	count     *countingReader
	base      int64 // the sheet's data offset in the file
	lim       Limits
	next      int // row number of the next row read (its checkpoint)
	prevRow   int
	skipBelow int // resume: rows numbered below this are passed over
	done      bool
}

func newSheetReader(b *xlsxBook, zf *zip.File) (*sheetReader, error) {
	raw, err := zf.OpenRaw()
	if err != nil {
		return nil, crm.Errorf(crm.Invalid, "The workbook is damaged (%s: %v).", zf.Name, err)
	}
	base, err := zf.DataOffset()
	if err != nil {
		return nil, crm.Errorf(crm.Invalid, "The workbook is damaged (%s: %v).", zf.Name, err)
	}
	cr := &countingReader{r: raw}
	var r io.Reader
	switch zf.Method {
	case zip.Store:
		r = bufio.NewReaderSize(cr, 64<<10)
	case zip.Deflate:
		r = flate.NewReader(bufio.NewReaderSize(cr, 64<<10))
	default:
		return nil, crm.Errorf(crm.Invalid, "The workbook's sheet is compressed in a way that cannot be read (method %d).", zf.Method)
	}
	dec := xml.NewDecoder(r)
	return &sheetReader{b: b, dec: dec, count: cr, base: base, lim: Limits{}.withDefaults(), next: 1}, nil
}

// Offset is how far into the file the sheet has been read: progress only.
func (s *sheetReader) Offset() int64 { return s.base + s.count.n }

// Line is the sheet row to continue from.
func (s *sheetReader) Line() int { return s.next }

// Read returns the next row with a value in it, or io.EOF.
func (s *sheetReader) Read() (Row, error) {
	for !s.done {
		tok, err := s.dec.Token()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return Row{}, crm.Errorf(crm.Invalid, "The sheet is damaged after row %d: %v.", s.prevRow, err)
		}
		st, ok := tok.(xml.StartElement)
		if !ok {
			if e, ok := tok.(xml.EndElement); ok && e.Name.Local == "sheetData" {
				s.done = true
			}
			continue
		}
		if st.Name.Local != "row" {
			continue
		}
		num := s.prevRow + 1
		if v := attr(st, "r"); v != "" {
			n, err := strconv.Atoi(v)
			if err != nil || n < 1 {
				return Row{}, crm.Errorf(crm.Invalid, "The sheet is damaged after row %d: row number %q.", s.prevRow, v)
			}
			num = n
		}
		if num <= s.prevRow {
			return Row{}, crm.Errorf(crm.Invalid, "The sheet is damaged: row %d comes after row %d.", num, s.prevRow)
		}
		s.prevRow = num
		start := s.Offset()
		row, err := s.readRow(num)
		if err != nil {
			return Row{}, err
		}
		s.next = num + 1
		if num < s.skipBelow || emptyRow(row) {
			continue
		}
		row.Offset, row.End = start, s.Offset()
		return row, nil
	}
	s.done = true
	return Row{}, io.EOF
}

func emptyRow(r Row) bool {
	if len(r.Problems) > 0 {
		return false
	}
	for _, f := range r.Fields {
		if f != "" {
			return false
		}
	}
	return true
}

func attr(st xml.StartElement, name string) string {
	for _, a := range st.Attr {
		if a.Name.Local == name {
			return a.Value
		}
	}
	return ""
}

// cellState is one <c> element being read.
type cellState struct {
	col      int // 1-based
	typ      string
	style    int
	val      strings.Builder
	inV, inT bool
	phon     int
}

// readRow reads the cells of a <row> up to its end.
func (s *sheetReader) readRow(num int) (Row, error) {
	row := Row{Line: num}
	var c *cellState
	col, size, tooWide, tooLong := 0, 0, false, false
	for {
		tok, err := s.dec.Token()
		if err != nil {
			if errors.Is(err, io.EOF) {
				err = io.ErrUnexpectedEOF
			}
			return row, crm.Errorf(crm.Invalid, "The sheet is damaged in row %d: %v.", num, err)
		}
		switch t := tok.(type) {
		case xml.StartElement:
			switch t.Name.Local {
			case "c":
				c = &cellState{col: col + 1, typ: attr(t, "t")}
				if ref := attr(t, "r"); ref != "" {
					n, ok := columnOf(ref)
					if !ok || n <= col {
						return row, crm.Errorf(crm.Invalid, "The sheet is damaged in row %d: cell reference %q.", num, ref)
					}
					c.col = n
				}
				if v := attr(t, "s"); v != "" {
					c.style, _ = strconv.Atoi(v)
				}
			case "v":
				if c != nil {
					c.inV = true
				}
			case "t":
				if c != nil && c.phon == 0 {
					c.inT = true
				}
			case "rPh":
				if c != nil {
					c.phon++
				}
			}
		case xml.CharData:
			if c != nil && (c.inV || c.inT) && !tooLong {
				if size+len(t) > s.lim.MaxRowBytes {
					tooLong = true
					continue
				}
				size += len(t)
				c.val.Write(t)
			}
		case xml.EndElement:
			switch t.Name.Local {
			case "v":
				if c != nil {
					c.inV = false
				}
			case "t":
				if c != nil {
					c.inT = false
				}
			case "rPh":
				if c != nil {
					c.phon--
				}
			case "c":
				if c == nil {
					continue
				}
				col = c.col
				if col > s.lim.MaxColumns {
					tooWide = true
					c = nil
					continue
				}
				v, prob := s.cellValue(c)
				if v != "" {
					for len(row.Fields) < col-1 {
						row.Fields = append(row.Fields, "")
					}
					row.Fields = append(row.Fields, v)
				}
				if prob != "" {
					row.Problems = append(row.Problems, Problem{Line: num, Column: col, Severity: Warning, Message: prob})
				}
				c = nil
			case "row":
				if tooLong {
					row.Problems = append(row.Problems, Problem{Line: num, Severity: Error,
						Message: fmt.Sprintf("the row is longer than %d bytes", s.lim.MaxRowBytes)})
				}
				if tooWide {
					row.Problems = append(row.Problems, Problem{Line: num, Severity: Error,
						Message: fmt.Sprintf("the row has cells beyond column %d; at most %d columns are read", s.lim.MaxColumns, s.lim.MaxColumns)})
				}
				return row, nil
			}
		}
	}
}

// columnOf reads the column of a cell reference: "C5" → 3.
func columnOf(ref string) (int, bool) {
	n, i := 0, 0
	for ; i < len(ref); i++ {
		ch := ref[i] | 0x20
		if ch < 'a' || ch > 'z' {
			break
		}
		n = n*26 + int(ch-'a'+1)
		if n > 1<<24 {
			return 0, false
		}
	}
	return n, i > 0
}

// cellValue turns a cell into text as a CSV export of the sheet would
// show it: numbers without float noise, dates (serial numbers in a date
// style) as 2006-01-02 or 2006-01-02 15:04:05, booleans as TRUE/FALSE.
func (s *sheetReader) cellValue(c *cellState) (string, string) {
	raw := c.val.String()
	switch c.typ {
	case "s":
		i, err := strconv.Atoi(strings.TrimSpace(raw))
		if err != nil || i < 0 || i >= len(s.b.shared) {
			return "", fmt.Sprintf("the cell refers to shared text %q that the workbook does not have; it is read as empty", raw)
		}
		return clean(s.b.shared[i]), ""
	case "inlineStr", "str":
		return clean(unescapeOOXML(raw)), ""
	case "b":
		if strings.TrimSpace(raw) == "1" {
			return "TRUE", ""
		}
		return "FALSE", ""
	case "e":
		return "", fmt.Sprintf("the cell holds the spreadsheet error %s; it is read as empty", strings.TrimSpace(raw))
	case "d":
		v := strings.TrimSuffix(strings.TrimSpace(raw), "T00:00:00")
		return strings.Replace(v, "T", " ", 1), ""
	}
	raw = strings.TrimSpace(raw)
	if raw == "" {
		return "", ""
	}
	f, err := strconv.ParseFloat(raw, 64)
	if err != nil {
		return clean(raw), ""
	}
	if c.style >= 0 && c.style < len(s.b.dates) && s.b.dates[c.style] {
		if v, ok := excelDate(f, s.b.date1904); ok {
			return v, ""
		}
		return formatNumber(f), "the cell is formatted as a date but its value is not one; the number was kept"
	}
	return formatNumber(f), ""
}

// clean removes NUL bytes, which PostgreSQL refuses.
func clean(s string) string { return strings.ReplaceAll(s, "\x00", "") }

// formatNumber writes f as a spreadsheet shows it: at most 15 significant
// digits (Excel's precision, so 0.1+0.2 stays 0.3), no exponent for
// ordinary magnitudes.
func formatNumber(f float64) string {
	if math.IsInf(f, 0) || math.IsNaN(f) {
		return ""
	}
	g, _ := strconv.ParseFloat(strconv.FormatFloat(f, 'g', 15, 64), 64)
	if g == math.Trunc(g) && math.Abs(g) < 1e15 {
		return strconv.FormatInt(int64(g), 10)
	}
	if a := math.Abs(g); a >= 1e-6 && a < 1e21 {
		return strconv.FormatFloat(g, 'f', -1, 64)
	}
	return strconv.FormatFloat(g, 'g', -1, 64)
}

// excelDate converts a serial date: days since 1899-12-30 (the 1900
// system, whose day 60 is the 29 February 1900 that never was) or since
// 1904-01-01.
func excelDate(f float64, date1904 bool) (string, bool) {
	if f < 0 || f >= 2958466 { // 9999-12-31 is the last date Excel knows
		return "", false
	}
	epoch := time.Date(1899, 12, 30, 0, 0, 0, 0, time.UTC)
	if date1904 {
		epoch = time.Date(1904, 1, 1, 0, 0, 0, 0, time.UTC)
	} else if f < 61 {
		epoch = epoch.AddDate(0, 0, 1)
	}
	days := math.Floor(f)
	secs := math.Round((f - days) * 86400)
	t := epoch.AddDate(0, 0, int(days)).Add(time.Duration(secs) * time.Second)
	if secs == 0 {
		return t.Format(time.DateOnly), true
	}
	if days == 0 && !date1904 && f < 1 {
		return t.Format(time.TimeOnly), true
	}
	return t.Format(time.DateTime), true
}
