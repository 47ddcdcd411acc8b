package importer

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"mime/quotedprintable"
	"os"
	"slices"
	"sort"
	"strings"
	"unicode/utf8"

	"github.com/tandemcrm/tandem/internal/records"
)

// vCardHeader is the header a vCard file is read with: one column per
// property the import can use, so vCards go through the same mapping as a
// CSV of the same contacts. The preferred ADR gives the address parts;
// Links holds every URL as "Label: URL" (the label from its TYPE), as the
// CSV export writes them. Columns that match no field (Address, the ADR
// in one line; Note; Home Page, the first URL; Birthday) can be mapped to
// custom fields; Address and Home Page come after the columns that take
// their values, so they stay unmapped unless chosen.
var vCardHeader = []string{"Full Name", "First Name", "Last Name", "Email", "Other Emails", "Phone", "Other Phones",
	"Company", "Job Title", "Street", "City", "State", "Postal Code", "Country", "Time Zone", "Links",
	"Address", "Note", "Categories", "Home Page", "Birthday", "UID"}

const (
	vcFN = iota
	vcFirst
	vcLast
	vcEmail
	vcEmails
	vcPhone
	vcPhones
	vcOrg
	vcTitle
	vcStreet
	vcCity
	vcState
	vcPostal
	vcCountry
	vcTZ
	vcLinks
	vcAdr
	vcNote
	vcCategories
	vcURL
	vcBday
	vcUID
)

// vcardReader reads vCard 2.1, 3.0 and 4.0 cards (RFC 2426, RFC 6350) as
// rows: folded lines are unfolded, quoted-printable values (2.1 and 3.0
// files from older phones and Outlook) decoded, escapes undone. A card's
// Line is the line of its BEGIN:VCARD.
type vcardReader struct {
	br   *bufio.Reader
	enc  Encoding
	lim  Limits
	off  int64 // offset of the next unread byte
	line int   // line of the next unread byte
}

func openVCard(f *os.File, off int64, line int) (*Source, error) {
	br := bufio.NewReaderSize(f, 64<<10)
	sample, _ := br.Peek(64 << 10)
	d, err := Sniff(sample, len(sample) < 64<<10)
	if err != nil {
		return nil, err
	}
	d.Delimiter = 0
	r := &vcardReader{br: br, enc: d.Encoding, lim: Limits{}.withDefaults(), line: 1}
	if off > 0 {
		if _, err := f.Seek(off, io.SeekStart); err != nil {
			return nil, err
		}
		br.Reset(f)
		r.off, r.line = off, line
	} else if d.BOM {
		_, _ = br.Discard(3)
		r.off = 3
	}
	return &Source{Format: FileVCard, Dialect: d, Header: slices.Clone(vCardHeader), Rows: r, Offset: r.off, Line: r.line}, nil
}

func (r *vcardReader) Offset() int64 { return r.off }
func (r *vcardReader) Line() int     { return r.line }

// physical reads one line without its line ending; a line longer than the
// row limit is cut there (and says so).
func (r *vcardReader) physical() ([]byte, bool, error) {
	var out []byte
	long := false
	for {
		chunk, err := r.br.ReadSlice('\n')
		r.off += int64(len(chunk))
		if len(out)+len(chunk) <= r.lim.MaxRowBytes {
			out = append(out, chunk...)
		} else {
			long = true
		}
		if errors.Is(err, bufio.ErrBufferFull) {
			continue
		}
		if err != nil && (len(out) == 0 || !errors.Is(err, io.EOF)) {
			return nil, false, err
		}
		r.line++
		out = []byte(strings.TrimRight(string(out), "\r\n"))
		return out, long, nil
	}
}

// logical reads one content line: a physical line with its folded
// continuations (lines starting with a space or tab) and, for
// quoted-printable values, its soft line breaks (a trailing "=").
func (r *vcardReader) logical() (string, bool, error) {
	b, long, err := r.physical()
	if err != nil {
		return "", false, err
	}
	s := string(b)
	for {
		next, err := r.br.Peek(1)
		if err != nil || len(s) > r.lim.MaxRowBytes {
			break
		}
		qpSoft := strings.HasSuffix(s, "=") && isQP(s)
		if next[0] != ' ' && next[0] != '\t' && !qpSoft {
			break
		}
		more, l2, err := r.physical()
		if err != nil {
			break
		}
		long = long || l2
		if qpSoft && next[0] != ' ' && next[0] != '\t' {
			s = s[:len(s)-1] + string(more)
		} else {
			s += string(more[1:])
		}
	}
	return s, long || len(s) > r.lim.MaxRowBytes, nil
}

func isQP(line string) bool {
	name, _, _ := strings.Cut(line, ":")
	return strings.Contains(strings.ToUpper(name), "QUOTED-PRINTABLE")
}

// vcValue is one EMAIL or TEL with its preference (lower first).
type vcValue struct {
	v    string
	pref int
}

// Read returns the next card as a row, or io.EOF.
func (r *vcardReader) Read() (Row, error) {
	var row Row
	in, long := false, false
	var emails, phones []vcValue
	var adr *vcAddress
	var links []string
	for {
		start, startLine := r.off, r.line
		s, l, err := r.logical()
		if errors.Is(err, io.EOF) {
			if in {
				row.Problems = append(row.Problems, Problem{Line: row.Line, Severity: Error,
					Message: fmt.Sprintf("the card that begins on line %d has no END:VCARD", row.Line)})
				row.End = r.off
				return row, nil
			}
			return Row{}, io.EOF
		}
		if err != nil {
			return Row{}, errf("read: %w", err)
		}
		name, params, value, ok := splitContentLine(s)
		if !ok {
			if in && strings.TrimSpace(s) != "" {
				row.Problems = append(row.Problems, Problem{Line: startLine, Severity: Warning,
					Message: "a line without a property name was left out"})
			}
			continue
		}
		switch {
		case name == "BEGIN" && strings.EqualFold(value, "VCARD"):
			if in {
				// A card inside a card (a 2.1 AGENT): its lines are read into this one.
				continue
			}
			in = true
			row = Row{Line: startLine, Offset: start, Fields: make([]string, len(vCardHeader))}
			emails, phones, long, adr, links = nil, nil, false, nil, nil
			continue
		case !in:
			continue
		case name == "END" && strings.EqualFold(value, "VCARD"):
			row.End = r.off
			finishCard(&row, emails, phones)
			finishPlace(&row, adr, links)
			if long {
				row.Problems = append(row.Problems, Problem{Line: row.Line, Severity: Error,
					Message: fmt.Sprintf("the card has a line longer than %d bytes", r.lim.MaxRowBytes)})
			}
			return row, nil
		}
		if l {
			long = true
			continue
		}
		text, prob := r.decodeValue(params, value)
		if prob != "" {
			row.Problems = append(row.Problems, Problem{Line: startLine, Severity: Warning, Message: prob})
		}
		switch name {
		case "FN":
			row.Fields[vcFN] = unescapeText(text)
		case "N":
			parts := splitStructured(text)
			row.Fields[vcLast] = part(parts, 0)
			row.Fields[vcFirst] = strings.TrimSpace(part(parts, 1) + " " + part(parts, 2))
		case "EMAIL":
			if v := strings.TrimSpace(unescapeText(strings.TrimPrefix(text, "mailto:"))); v != "" {
				emails = append(emails, vcValue{records.WithLabel(v, typeLabel(params)), prefOf(params)})
			}
		case "TEL":
			if v := strings.TrimSpace(unescapeText(strings.TrimPrefix(text, "tel:"))); v != "" {
				phones = append(phones, vcValue{records.WithLabel(v, typeLabel(params)), prefOf(params)})
			}
		case "ORG":
			row.Fields[vcOrg] = part(splitStructured(text), 0)
		case "TITLE":
			row.Fields[vcTitle] = unescapeText(text)
		case "ADR":
			if a := (vcAddress{splitStructured(text), prefOf(params)}); adr == nil || a.pref < adr.pref {
				adr = &a
			}
		case "TZ":
			row.Fields[vcTZ] = strings.TrimSpace(unescapeText(text))
		case "NOTE":
			row.Fields[vcNote] = unescapeText(text)
		case "CATEGORIES":
			row.Fields[vcCategories] = joinNonEmpty(splitList(unescapeText(text)), "; ")
		case "URL":
			u := strings.TrimSpace(unescapeText(text))
			if row.Fields[vcURL] == "" {
				row.Fields[vcURL] = u
			}
			if u != "" {
				links = append(links, linkText(urlLabel(params), u))
			}
		case "BDAY":
			row.Fields[vcBday] = text
		case "UID":
			row.Fields[vcUID] = unescapeText(text)
		}
	}
}

// finishCard puts the preferred email and phone first and the rest in the
// "Other" columns.
func finishCard(row *Row, emails, phones []vcValue) {
	for _, set := range []struct {
		vals         []vcValue
		first, other int
	}{{emails, vcEmail, vcEmails}, {phones, vcPhone, vcPhones}} {
		sort.SliceStable(set.vals, func(i, j int) bool { return set.vals[i].pref < set.vals[j].pref })
		var rest []string
		for i, v := range set.vals {
			if i == 0 {
				row.Fields[set.first] = v.v
			} else {
				rest = append(rest, v.v)
			}
		}
		row.Fields[set.other] = strings.Join(rest, "; ")
	}
}

// splitContentLine splits "item1.EMAIL;TYPE=work:x" into the upper-case
// name without its group, the parameters and the value. A ':' inside a
// quoted parameter value does not end the name.
func splitContentLine(s string) (string, []string, string, bool) {
	inQ := false
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case '"':
			inQ = !inQ
		case ':':
			if inQ {
				continue
			}
			head, value := s[:i], s[i+1:]
			parts := splitParams(head)
			name := strings.ToUpper(strings.TrimSpace(parts[0]))
			if j := strings.LastIndexByte(name, '.'); j >= 0 {
				name = name[j+1:]
			}
			if name == "" {
				return "", nil, "", false
			}
			return name, parts[1:], value, true
		}
	}
	return "", nil, "", false
}

func splitParams(head string) []string {
	var out []string
	inQ, start := false, 0
	for i := 0; i < len(head); i++ {
		switch head[i] {
		case '"':
			inQ = !inQ
		case ';':
			if !inQ {
				out = append(out, head[start:i])
				start = i + 1
			}
		}
	}
	return append(out, head[start:])
}

// param returns the values of a parameter: TYPE=work,pref and TYPE=work;
// TYPE=pref, and 2.1's bare WORK;PREF, all give work and pref for TYPE.
func param(params []string, name string) []string {
	var out []string
	for _, p := range params {
		k, v, ok := strings.Cut(p, "=")
		if !ok {
			if name == "TYPE" {
				out = append(out, strings.ToLower(strings.TrimSpace(p)))
			}
			continue
		}
		if strings.EqualFold(strings.TrimSpace(k), name) {
			for _, x := range strings.Split(strings.Trim(v, `"`), ",") {
				out = append(out, strings.ToLower(strings.TrimSpace(x)))
			}
		}
	}
	return out
}

// typeLabel is the label an EMAIL's or TEL's TYPE stands for ("CELL" →
// "mobile"), carried in its cell as "value (label)", which the contact
// columns read.
func typeLabel(params []string) string {
	for _, t := range param(params, "TYPE") {
		if l := vcLabels[t]; l != "" {
			return l
		}
	}
	return ""
}

// prefOf: PREF=n (4.0) or TYPE=pref (3.0) put a value first.
func prefOf(params []string) int {
	if p := param(params, "PREF"); len(p) > 0 {
		n := 0
		if _, err := fmt.Sscanf(p[0], "%d", &n); err == nil && n > 0 && n <= 100 {
			return n
		}
	}
	if slices.Contains(param(params, "TYPE"), "pref") {
		return 1
	}
	return 101
}

// decodeValue undoes ENCODING=QUOTED-PRINTABLE and reads the value's bytes
// in its CHARSET (or the file's encoding).
func (r *vcardReader) decodeValue(params []string, value string) (string, string) {
	b := []byte(value)
	enc := param(params, "ENCODING")
	switch {
	case slices.Contains(enc, "quoted-printable"):
		dec, err := io.ReadAll(quotedprintable.NewReader(strings.NewReader(value)))
		if err != nil {
			return clean(strings.ToValidUTF8(value, "\uFFFD")), "a quoted-printable value is damaged; it was kept as written"
		}
		b = dec
	case slices.Contains(enc, "b"), slices.Contains(enc, "base64"):
		return "", "" // photos and sounds: not imported
	}
	b = bytes.ReplaceAll(b, []byte("\r\n"), []byte("\n"))
	cs := param(params, "CHARSET")
	latin := r.enc == Latin1 || (len(cs) > 0 && (strings.Contains(cs[0], "8859") || strings.Contains(cs[0], "1252") || cs[0] == "latin1"))
	switch {
	case latin && !utf8.Valid(b):
		return clean(latin1(b)), ""
	case !utf8.Valid(b):
		return clean(strings.ToValidUTF8(string(b), "\uFFFD")), "invalid UTF-8 was replaced by �"
	}
	return clean(string(b)), ""
}

// unescapeText undoes vCard text escapes: \n, \, \; and \\.
func unescapeText(s string) string {
	if !strings.Contains(s, `\`) {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] == '\\' && i+1 < len(s) {
			i++
			switch s[i] {
			case 'n', 'N':
				b.WriteByte('\n')
			default:
				b.WriteByte(s[i])
			}
			continue
		}
		b.WriteByte(s[i])
	}
	return b.String()
}

// splitStructured splits a structured value (N, ORG, ADR) at unescaped
// semicolons and unescapes each part.
func splitStructured(s string) []string {
	var out []string
	start := 0
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case '\\':
			i++
		case ';':
			out = append(out, strings.TrimSpace(unescapeText(s[start:i])))
			start = i + 1
		}
	}
	return append(out, strings.TrimSpace(unescapeText(s[start:])))
}

func part(p []string, i int) string {
	if i < len(p) {
		return p[i]
	}
	return ""
}

func joinNonEmpty(parts []string, sep string) string {
	var out []string
	for _, p := range parts {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return strings.Join(out, sep)
}
