package importer

import (
	"archive/zip"
	"bufio"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"os"
	"path"
	"strconv"
	"strings"

	"github.com/tandemcrm/tandem/internal/crm"
)

// Reading Office Open XML workbooks (.xlsx), streamed: the chosen sheet's
// XML is decompressed and tokenised as it is read, so memory holds one row
// (plus the shared-string table, which the format keeps apart from the
// sheet). Written with encoding/xml and archive/zip rather than excelize:
// its streaming reader still loads shared strings the same way and brings
// a dependency tree for what is a few hundred lines here.

// xlsxMaxShared bounds the shared-string table held in memory.
const xlsxMaxShared = 256 << 20

type xlsxSheetRef struct{ name, path string }

type xlsxBook struct {
	files    map[string]*zip.File
	sheets   []xlsxSheetRef
	shared   []string
	dates    []bool // per cell style (cellXfs index): a date format
	date1904 bool
}

// openXLSX opens sheet of the workbook f and reads its header row. A
// resumeLine above 0 skips the rows before that sheet row.
func openXLSX(f *os.File, size int64, sheet string, resumeLine int) (*Source, error) {
	zr, err := zip.NewReader(f, size)
	if err != nil {
		return nil, crm.Errorf(crm.Invalid, "The file looks like a workbook (zip) but cannot be opened: %v.", err)
	}
	b := &xlsxBook{files: map[string]*zip.File{}}
	for _, zf := range zr.File {
		b.files[strings.TrimPrefix(zf.Name, "/")] = zf
	}
	wbPath := "xl/workbook.xml"
	if rels, err := b.rels("_rels/.rels", ""); err == nil {
		for _, r := range rels {
			if strings.HasSuffix(r.typ, "/officeDocument") {
				wbPath = r.target
			}
		}
	}
	if b.files[wbPath] == nil {
		return nil, crm.Errorf(crm.Invalid, "The file is a zip archive but not an Excel workbook (.xlsx).")
	}
	if err := b.readWorkbook(wbPath); err != nil {
		return nil, err
	}
	ref, err := b.pick(sheet)
	if err != nil {
		return nil, err
	}
	zf := b.files[ref.path]
	if zf == nil {
		return nil, crm.Errorf(crm.Invalid, "The workbook names sheet %q but does not contain it.", ref.name)
	}
	sr, err := newSheetReader(b, zf)
	if err != nil {
		return nil, err
	}
	src := &Source{Format: FileXLSX, Dialect: Dialect{Encoding: UTF8}, Sheet: ref.name, Rows: sr}
	for {
		row, err := sr.Read()
		if errors.Is(err, io.EOF) {
			return nil, crm.Errorf(crm.Invalid, "The sheet %q is empty.", ref.name)
		}
		if err != nil {
			return nil, err
		}
		if row.Bad() {
			return nil, crm.Errorf(crm.Invalid, "The header row (row %d of sheet %q) cannot be read: %s.", row.Line, ref.name, row.Problems[0].Message)
		}
		src.Header, src.Line, src.Offset = Header(row.Fields), row.Line+1, row.End
		break
	}
	sr.skipBelow = resumeLine
	return src, nil
}

type xlsxRel struct{ id, typ, target string }

// rels reads a relationships part; targets are resolved against dir.
func (b *xlsxBook) rels(name, dir string) ([]xlsxRel, error) {
	var doc struct {
		Rels []struct {
			ID     string `xml:"Id,attr"`
			Type   string `xml:"Type,attr"`
			Target string `xml:"Target,attr"`
			Mode   string `xml:"TargetMode,attr"`
		} `xml:"Relationship"`
	}
	if err := b.decode(name, &doc, 1<<20); err != nil {
		return nil, err
	}
	var out []xlsxRel
	for _, r := range doc.Rels {
		if r.Mode == "External" {
			continue
		}
		t := r.Target
		if strings.HasPrefix(t, "/") {
			t = strings.TrimPrefix(t, "/")
		} else {
			t = path.Join(dir, t)
		}
		out = append(out, xlsxRel{r.ID, r.Type, t})
	}
	return out, nil
}

// decode unmarshals a small part of the archive, at most limit bytes of it.
func (b *xlsxBook) decode(name string, v any, limit int64) error {
	zf := b.files[name]
	if zf == nil {
		return fmt.Errorf("importer: xlsx: no part %s", name)
	}
	rc, err := zf.Open()
	if err != nil {
		return crm.Errorf(crm.Invalid, "The workbook is damaged (%s: %v).", name, err)
	}
	defer rc.Close()
	if err := xml.NewDecoder(io.LimitReader(rc, limit)).Decode(v); err != nil {
		return crm.Errorf(crm.Invalid, "The workbook is damaged (%s: %v).", name, err)
	}
	return nil
}

func (b *xlsxBook) readWorkbook(wbPath string) error {
	var wb struct {
		Pr struct {
			Date1904 string `xml:"date1904,attr"`
		} `xml:"workbookPr"`
		Sheets []struct {
			Name string `xml:"name,attr"`
			RID  string `xml:"http://schemas.openxmlformats.org/officeDocument/2006/relationships id,attr"`
		} `xml:"sheets>sheet"`
	}
	if err := b.decode(wbPath, &wb, 8<<20); err != nil {
		return err
	}
	b.date1904 = wb.Pr.Date1904 == "1" || wb.Pr.Date1904 == "true"
	dir := path.Dir(wbPath)
	rels, err := b.rels(path.Join(dir, "_rels", path.Base(wbPath)+".rels"), dir)
	if err != nil {
		return crm.Errorf(crm.Invalid, "The workbook is damaged: it does not say where its sheets are.")
	}
	byID := map[string]string{}
	sharedPath, stylesPath := "", ""
	for _, r := range rels {
		byID[r.id] = r.target
		switch {
		case strings.HasSuffix(r.typ, "/sharedStrings"):
			sharedPath = r.target
		case strings.HasSuffix(r.typ, "/styles"):
			stylesPath = r.target
		}
	}
	for _, s := range wb.Sheets {
		if p, ok := byID[s.RID]; ok {
			b.sheets = append(b.sheets, xlsxSheetRef{s.Name, p})
		}
	}
	if len(b.sheets) == 0 {
		return crm.Errorf(crm.Invalid, "The workbook has no sheets.")
	}
	if sharedPath != "" {
		if err := b.readShared(sharedPath); err != nil {
			return err
		}
	}
	if stylesPath != "" {
		return b.readStyles(stylesPath)
	}
	return nil
}

// pick chooses a sheet by name (ignoring case) or 1-based number.
func (b *xlsxBook) pick(sheet string) (xlsxSheetRef, error) {
	sheet = strings.TrimSpace(sheet)
	if sheet == "" {
		return b.sheets[0], nil
	}
	for _, s := range b.sheets {
		if strings.EqualFold(s.name, sheet) {
			return s, nil
		}
	}
	if n, err := strconv.Atoi(sheet); err == nil && n >= 1 && n <= len(b.sheets) {
		return b.sheets[n-1], nil
	}
	names := make([]string, len(b.sheets))
	for i, s := range b.sheets {
		names[i] = strconv.Quote(s.name)
	}
	return xlsxSheetRef{}, crm.Errorf(crm.Invalid, "The workbook has no sheet %q; its sheets are %s (or give the number, 1 to %d).",
		sheet, strings.Join(names, ", "), len(b.sheets))
}

// readShared loads the shared-string table: plain and rich text, without
// phonetic runs.
func (b *xlsxBook) readShared(name string) error {
	zf := b.files[name]
	if zf == nil {
		return nil
	}
	rc, err := zf.Open()
	if err != nil {
		return crm.Errorf(crm.Invalid, "The workbook is damaged (%s: %v).", name, err)
	}
	defer rc.Close()
	dec := xml.NewDecoder(bufio.NewReaderSize(rc, 64<<10))
	var cur strings.Builder
	total, inSI, inT, phon := 0, false, false, 0
	for {
		tok, err := dec.Token()
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return crm.Errorf(crm.Invalid, "The workbook's shared strings are damaged: %v.", err)
		}
		switch t := tok.(type) {
		case xml.StartElement:
			switch t.Name.Local {
			case "si":
				inSI = true
				cur.Reset()
			case "rPh":
				phon++
			case "t":
				inT = inSI && phon == 0
			}
		case xml.EndElement:
			switch t.Name.Local {
			case "si":
				inSI = false
				s := unescapeOOXML(cur.String())
				total += len(s)
				if total > xlsxMaxShared {
					return crm.Errorf(crm.Invalid, "The workbook's shared strings take more than %d MiB; save the sheet as CSV and import that.", xlsxMaxShared>>20)
				}
				b.shared = append(b.shared, s)
			case "rPh":
				phon--
			case "t":
				inT = false
			}
		case xml.CharData:
			if inT {
				cur.Write(t)
			}
		}
	}
}

// readStyles finds which cell styles show dates: the built-in date formats
// and custom formats with date or time letters.
func (b *xlsxBook) readStyles(name string) error {
	var st struct {
		NumFmts []struct {
			ID   int    `xml:"numFmtId,attr"`
			Code string `xml:"formatCode,attr"`
		} `xml:"numFmts>numFmt"`
		Xfs []struct {
			NumFmt int `xml:"numFmtId,attr"`
		} `xml:"cellXfs>xf"`
	}
	if err := b.decode(name, &st, 16<<20); err != nil {
		return err
	}
	custom := map[int]bool{}
	for _, f := range st.NumFmts {
		custom[f.ID] = dateFormatCode(f.Code)
	}
	b.dates = make([]bool, len(st.Xfs))
	for i, x := range st.Xfs {
		id := x.NumFmt
		if d, ok := custom[id]; ok {
			b.dates[i] = d
			continue
		}
		b.dates[i] = (id >= 14 && id <= 22) || (id >= 27 && id <= 36) || (id >= 45 && id <= 47) || (id >= 50 && id <= 58)
	}
	return nil
}

// dateFormatCode reports whether a number format shows a date or time:
// it has y, m, d, h or s outside quoted text, brackets ([Red], [$€-407])
// and escaped characters.
func dateFormatCode(code string) bool {
	inQ, inB := false, false
	for i := 0; i < len(code); i++ {
		c := code[i]
		switch {
		case inQ:
			inQ = c != '"'
		case inB:
			if c == ']' {
				inB = false
			}
		case c == '"':
			inQ = true
		case c == '[':
			// [h], [mm] and [ss] are elapsed times; other brackets are colours or locales.
			if j := strings.IndexByte(code[i:], ']'); j > 0 {
				in := strings.ToLower(code[i+1 : i+j])
				if strings.Trim(in, "hms") == "" && in != "" {
					return true
				}
			}
			inB = true
		case c == '\\' || c == '_' || c == '*':
			i++
		default:
			switch c | 0x20 {
			case 'y', 'm', 'd', 'h', 's':
				return true
			}
		}
	}
	return false
}

// unescapeOOXML decodes the _xHHHH_ escapes Excel writes for control
// characters (a line break in a cell is _x000D_ or a plain \n).
func unescapeOOXML(s string) string {
	if !strings.Contains(s, "_x") {
		return s
	}
	var out strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] == '_' && i+6 < len(s) && s[i+1] == 'x' && s[i+6] == '_' {
			if v, err := strconv.ParseUint(s[i+2:i+6], 16, 16); err == nil {
				if v != 0 && v != '\r' {
					out.WriteRune(rune(v))
				}
				i += 6
				continue
			}
		}
		out.WriteByte(s[i])
	}
	return out.String()
}
