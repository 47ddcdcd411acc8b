package importer

import (
	"archive/zip"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"
)

// A workbook for tests, written part by part so that every oddity of the
// format can be put in on purpose.
type testBook struct {
	sheets   []testSheet
	shared   []string // raw <si> bodies
	numFmts  string   // raw <numFmt> elements
	xfs      []int    // numFmtId per cell style
	date1904 bool
	store    bool // sheets stored, not deflated
	extra    map[string]string
}

type testSheet struct{ name, data string } // data: the body of <sheetData>

func (b testBook) bytes(t testing.TB) []byte {
	t.Helper()
	var buf bytes.Buffer
	z := zip.NewWriter(&buf)
	put := func(name, body string, method uint16) {
		w, err := z.CreateHeader(&zip.FileHeader{Name: name, Method: method})
		if err != nil {
			t.Fatal(err)
		}
		io.WriteString(w, body)
	}
	put("[Content_Types].xml", `<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>`, zip.Deflate)
	put("_rels/.rels", `<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">`+
		`<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>`, zip.Deflate)
	var sheets, rels strings.Builder
	for i, s := range b.sheets {
		fmt.Fprintf(&sheets, `<sheet name="%s" sheetId="%d" r:id="rId%d"/>`, s.name, i+1, i+1)
		fmt.Fprintf(&rels, `<Relationship Id="rId%d" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet%d.xml"/>`, i+1, i+1)
		method := uint16(zip.Deflate)
		if b.store {
			method = zip.Store
		}
		put(fmt.Sprintf("xl/worksheets/sheet%d.xml", i+1), `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>`+
			`<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>`+s.data+`</sheetData></worksheet>`, method)
	}
	rels.WriteString(`<Relationship Id="rIdS" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/>`)
	rels.WriteString(`<Relationship Id="rIdT" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="/xl/styles.xml"/>`)
	pr := ""
	if b.date1904 {
		pr = `<workbookPr date1904="1"/>`
	}
	put("xl/workbook.xml", `<?xml version="1.0"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" `+
		`xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">`+pr+`<sheets>`+sheets.String()+`</sheets></workbook>`, zip.Deflate)
	put("xl/_rels/workbook.xml.rels", `<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">`+rels.String()+`</Relationships>`, zip.Deflate)
	var sst strings.Builder
	for _, s := range b.shared {
		sst.WriteString("<si>" + s + "</si>")
	}
	put("xl/sharedStrings.xml", `<?xml version="1.0"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">`+sst.String()+`</sst>`, zip.Deflate)
	var xfs strings.Builder
	for _, id := range b.xfs {
		fmt.Fprintf(&xfs, `<xf numFmtId="%d"/>`, id)
	}
	put("xl/styles.xml", `<?xml version="1.0"?><styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><numFmts>`+b.numFmts+
		`</numFmts><cellXfs>`+xfs.String()+`</cellXfs></styleSheet>`, zip.Deflate)
	for name, body := range b.extra {
		put(name, body, zip.Deflate)
	}
	if err := z.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// The workbooks of testdata/sheets, made here so that each can be read
// and changed as text; -update writes them (and their golden reports).
var testBooks = map[string]testBook{
	"cells.xlsx": {
		shared: []string{`<t>First Name</t>`, `<t>Email</t>`, `<t xml:space="preserve"> Ada </t>`,
			`<r><t>Grace</t></r><r><rPr><b/></rPr><t> Hopper</t></r><rPh><t>ぐれいす</t></rPh>`, `<t>line_x000D_
break</t>`, `<t>Joined</t>`, `<t>Score</t>`, `<t>Active</t>`, `<t>Called</t>`},
		numFmts: `<numFmt numFmtId="164" formatCode="yyyy\-mm\-dd\ hh:mm"/><numFmt numFmtId="165" formatCode="&quot;days&quot;\ 0"/><numFmt numFmtId="166" formatCode="[Red]0.00"/>`,
		xfs:     []int{0, 14, 164, 165, 166},
		sheets: []testSheet{{"People", `
<row r="2"></row>
<row r="3"><c r="A3" t="s"><v>0</v></c><c r="B3" t="s"><v>1</v></c><c r="C3" t="s"><v>5</v></c><c r="D3" t="s"><v>6</v></c><c r="E3" t="s"><v>7</v></c><c r="F3" t="s"><v>8</v></c></row>
<row r="4"><c r="A4" t="s"><v>2</v></c><c r="B4" t="inlineStr"><is><t>ada@example.com</t></is></c><c r="C4" s="1"><v>45658</v></c><c r="D4"><v>0.30000000000000004</v></c><c r="E4" t="b"><v>1</v></c><c r="F4" s="2"><v>45658.5</v></c></row>
<row r="6"><c r="A6" t="s"><v>3</v></c><c r="C6" s="3"><v>12</v></c><c r="D6"><v>1.5E-3</v></c><c r="E6" t="b"><v>0</v></c><c r="F6" t="e"><v>#N/A</v></c></row>
<row r="7"><c r="A7" t="s"><v>4</v></c><c r="B7" t="str"><f>LOWER("X@Y.ORG")</f><v>x@y.org</v></c><c r="D7" s="4"><v>4915112345678</v></c><c r="E7" t="s"><v>99</v></c></row>
<row r="8"><c r="A8"/><c r="B8" t="inlineStr"><is><t></t></is></c></row>
`}},
	},
	"two_sheets.xlsx": {
		shared: []string{`<t>Name</t>`},
		sheets: []testSheet{{"Notes", `<row r="1"><c r="A1" t="inlineStr"><is><t>nothing here</t></is></c></row>`},
			{"Firmen &amp; Co", `<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="inlineStr"><is><t>Domain</t></is></c></row>` +
				`<row r="2"><c r="A2" t="inlineStr"><is><t>Acme</t></is></c><c r="B2" t="inlineStr"><is><t>acme.example</t></is></c></row>`}},
	},
	"no_refs_1904.xlsx": {
		date1904: true, store: true, xfs: []int{0, 15},
		sheets: []testSheet{{"S", `<row><c t="inlineStr"><is><t>a</t></is></c><c t="inlineStr"><is><t>b</t></is></c></row>` +
			`<row><c><v>1</v></c><c s="1"><v>0</v></c></row><row><c/><c s="1"><v>-3</v></c></row>`}},
	},
	"truncated.xlsx": {
		sheets: []testSheet{{"S", `<row r="1"><c r="A1" t="inlineStr"><is><t>a</t></is></c></row><row r="2"><c r="A2"><v>1</v>`}},
	},
	"cells_backwards.xlsx": {
		sheets: []testSheet{{"S", `<row r="1"><c r="A1" t="inlineStr"><is><t>a</t></is></c><c r="B1" t="inlineStr"><is><t>b</t></is></c></row>` +
			`<row r="2"><c r="B2"><v>1</v></c><c r="A2"><v>2</v></c></row>`}},
	},
	"no_sheets.xlsx": {
		extra: map[string]string{}, sheets: nil,
	},
}

// sourceReport is what reading a file gives, for golden comparison.
type sourceReport struct {
	Format   FileFormat `json:"format"`
	Sheet    string     `json:"sheet,omitempty"`
	Encoding Encoding   `json:"encoding,omitempty"`
	Header   []string   `json:"header,omitempty"`
	Rows     []string   `json:"rows,omitempty"` // "line: a | b | c"
	Problems []Problem  `json:"problems,omitempty"`
	Error    string     `json:"error,omitempty"`
}

func readSource(t testing.TB, path, sheet string) sourceReport {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	st, _ := f.Stat()
	var rep sourceReport
	src, err := OpenSource(f, st.Size(), sheet)
	if err != nil {
		rep.Error = err.Error()
		return rep
	}
	rep.Format, rep.Sheet, rep.Encoding, rep.Header = src.Format, src.Sheet, src.Dialect.Encoding, src.Header
	for {
		row, err := src.Rows.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			rep.Error = err.Error()
			break
		}
		rep.Rows = append(rep.Rows, fmt.Sprintf("%d: %s", row.Line, strings.Join(row.Fields, " | ")))
		rep.Problems = append(rep.Problems, row.Problems...)
		for _, v := range row.Fields {
			if !utf8.ValidString(v) || strings.ContainsRune(v, 0) {
				t.Errorf("line %d: invalid text %q", row.Line, v)
			}
		}
	}
	return rep
}

func checkGolden(t *testing.T, path string, got any) {
	t.Helper()
	js, _ := json.MarshalIndent(got, "", "  ")
	js = append(js, '\n')
	if *update {
		if err := os.WriteFile(path, js, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("no golden file (run with -update): %v", err)
	}
	if !bytes.Equal(js, want) {
		t.Errorf("report differs from %s:\n got: %s\nwant: %s", path, js, want)
	}
}

// TestNastySheets reads each workbook and vCard file of testdata/sheets
// and compares what comes out with its golden report. Workbooks whose
// name ends in @N are read at sheet N (name or number).
func TestNastySheets(t *testing.T) {
	if *update {
		for name, b := range testBooks {
			if err := os.WriteFile(filepath.Join("testdata/sheets", name), b.bytes(t), 0o644); err != nil {
				t.Fatal(err)
			}
		}
	}
	files, _ := filepath.Glob("testdata/sheets/*")
	n := 0
	for _, f := range files {
		if strings.HasSuffix(f, ".json") {
			continue
		}
		sheets := []string{""}
		if strings.HasSuffix(f, "two_sheets.xlsx") {
			sheets = []string{"", "2", "firmen & co", "Nope"}
		}
		for _, sh := range sheets {
			n++
			name := filepath.Base(f)
			if sh != "" {
				name += "@" + strings.Map(func(r rune) rune {
					if r == ' ' || r == '&' {
						return '_'
					}
					return r
				}, sh)
			}
			t.Run(name, func(t *testing.T) {
				checkGolden(t, filepath.Join("testdata/sheets", name+".golden.json"), readSource(t, f, sh))
			})
		}
	}
	if n < 12 {
		t.Fatalf("only %d files in testdata/sheets", n)
	}
}

// TestVCardResume: reading on from any card's offset and line gives the
// cards after it, as a resumed import does.
func TestVCardResume(t *testing.T) {
	files, _ := filepath.Glob("testdata/sheets/*.vcf")
	for _, p := range files {
		whole := readSource(t, p, "")
		if whole.Error != "" {
			continue
		}
		f, _ := os.Open(p)
		src, err := openVCard(f, 0, 0)
		if err != nil {
			t.Fatal(err)
		}
		for i := 0; ; i++ {
			row, err := src.Rows.Read()
			if err != nil {
				break
			}
			g, _ := os.Open(p)
			rest, err := openVCard(g, row.End, src.Rows.Line())
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for {
				r, err := rest.Rows.Read()
				if err != nil {
					break
				}
				got = append(got, fmt.Sprintf("%d: %s", r.Line, strings.Join(r.Fields, " | ")))
			}
			g.Close()
			if want := whole.Rows[i+1:]; strings.Join(got, "\n") != strings.Join(want, "\n") {
				t.Errorf("%s: after card %d got\n%s\nwant\n%s", p, i, strings.Join(got, "\n"), strings.Join(want, "\n"))
			}
		}
		f.Close()
	}
}

func TestDateFormats(t *testing.T) {
	for code, want := range map[string]bool{"yyyy-mm-dd": true, "[h]:mm": true, `"Tag "0`: false, "0.00": false, "General": false,
		"[$-407]dddd": true, "#,##0 [$EUR]": false, `\d0`: false, "[Red]0.00": false, "mmm yy": true} {
		if got := dateFormatCode(code); got != want {
			t.Errorf("%q: %v, want %v", code, got, want)
		}
	}
	for f, want := range map[float64]string{45658: "2025-01-01", 45658.75: "2025-01-01 18:00:00", 1: "1900-01-01", 61: "1900-03-01", 0.5: "12:00:00"} {
		if got, _ := excelDate(f, false); got != want {
			t.Errorf("%v: %q, want %q", f, got, want)
		}
	}
	if got, _ := excelDate(0, true); got != "1904-01-01" {
		t.Errorf("1904: %q", got)
	}
}

func TestDetectFormat(t *testing.T) {
	for in, want := range map[string]FileFormat{"PK\x03\x04rest": FileXLSX, "\xEF\xBB\xBF\r\nbegin:vcard\r\n": FileVCard,
		"Name,Email\n": FileCSV, "": FileCSV, "BEGIN:VCAR": FileCSV,
		"x,y\nBEGIN:VCARD,z\n": FileCSV, "junk\r\nBEGIN:VCARD\r\n": FileVCard} {
		if got := DetectFormat([]byte(in)); got != want {
			t.Errorf("%q: %s, want %s", in, got, want)
		}
	}
}

// FuzzVCard: any input reads without panicking, to valid UTF-8 without NUL
// bytes, and reading on from any card's end gives the cards after it.
// Seeds: testdata/fuzz/FuzzVCard and the vCards of testdata/sheets.
func FuzzVCard(f *testing.F) {
	files, _ := filepath.Glob("testdata/sheets/*.vcf")
	for _, p := range files {
		if b, err := os.ReadFile(p); err == nil {
			f.Add(b)
		}
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		path := filepath.Join(t.TempDir(), "in.vcf")
		if err := os.WriteFile(path, append([]byte("BEGIN:VCARD\n"), data...), 0o600); err != nil {
			t.Fatal(err)
		}
		whole := readSource(t, path, "")
		if whole.Error != "" {
			return
		}
		fh, _ := os.Open(path)
		defer fh.Close()
		src, err := openVCard(fh, 0, 0)
		if err != nil {
			return
		}
		for i := 0; i < 3; i++ {
			row, err := src.Rows.Read()
			if err != nil {
				return
			}
			g, _ := os.Open(path)
			rest, err := openVCard(g, row.End, src.Rows.Line())
			if err != nil {
				g.Close()
				t.Fatal(err)
			}
			n := 0
			for ; ; n++ {
				r, err := rest.Rows.Read()
				if err != nil {
					break
				}
				if want := whole.Rows[i+1+n]; fmt.Sprintf("%d: %s", r.Line, strings.Join(r.Fields, " | ")) != want {
					t.Fatalf("resumed after card %d: row %d differs from %q", i, n, want)
				}
			}
			g.Close()
			if n != len(whole.Rows)-i-1 {
				t.Fatalf("resumed after card %d: %d rows, want %d", i, n, len(whole.Rows)-i-1)
			}
		}
	})
}

// FuzzSheet: any sheet XML and shared-string table read without panicking,
// to valid UTF-8 text, with rows in increasing order. Seeds:
// testdata/fuzz/FuzzSheet and the workbooks of testBooks.
func FuzzSheet(f *testing.F) {
	for _, b := range testBooks {
		for _, s := range b.sheets {
			f.Add(s.data, strings.Join(b.shared, ""))
		}
	}
	f.Fuzz(func(t *testing.T, sheet, shared string) {
		b := testBook{sheets: []testSheet{{"S", sheet}}, xfs: []int{0, 14, 22}, extra: map[string]string{}}
		if shared != "" {
			b.shared = []string{shared}
		}
		path := filepath.Join(t.TempDir(), "in.xlsx")
		if err := os.WriteFile(path, b.bytes(t), 0o600); err != nil {
			t.Fatal(err)
		}
		rep := readSource(t, path, "")
		last := 0
		for _, r := range rep.Rows {
			var n int
			fmt.Sscanf(r, "%d:", &n)
			if n <= last {
				t.Fatalf("row %d after row %d", n, last)
			}
			last = n
		}
	})
}
