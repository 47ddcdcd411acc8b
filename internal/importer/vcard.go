package importer

import (
	"bufio"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/tandemcrm/tandem/internal/records"
)

// vcardSink writes contacts as vCard 3.0 (RFC 2426): CRLF line ends, lines
// folded at 75 octets without splitting a character, text values escaped.
type vcardSink struct{ w *bufio.Writer }

func (s *vcardSink) row(r *records.ExportRow) error {
	s.line("BEGIN:VCARD")
	s.line("VERSION:3.0")
	s.line("N:" + vEscape(r.LastName) + ";" + vEscape(r.FirstName) + ";;;")
	s.line("FN:" + vEscape(r.Name()))
	if r.CompanyName != "" {
		s.line("ORG:" + vEscape(r.CompanyName))
	}
	if r.Title != "" {
		s.line("TITLE:" + vEscape(r.Title))
	}
	emails, phones := r.Emails, r.Phones
	// Rows written by bulk loads may carry only the primary columns.
	if len(emails) == 0 && r.Email != "" {
		emails = []records.EmailAddr{{Email: r.Email}}
	}
	if len(phones) == 0 && r.Phone != "" {
		phones = []records.PhoneNum{{Phone: r.Phone}}
	}
	for i, e := range emails {
		typ := "INTERNET"
		if t := vcTypes[strings.ToLower(e.Label)]; t == "HOME" || t == "WORK" {
			typ += "," + t
		}
		if i == 0 {
			typ += ",PREF"
		}
		s.line("EMAIL;TYPE=" + typ + ":" + vEscape(e.Email))
	}
	for i, p := range phones {
		typ := vcTypes[strings.ToLower(p.Label)]
		if typ == "" {
			typ = "VOICE"
		}
		if i == 0 {
			typ += ",PREF"
		}
		s.line("TEL;TYPE=" + typ + ":" + vEscape(p.Phone))
	}
	if a := r.Address; !a.IsZero() {
		s.line("ADR:;;" + vEscape(a.Street) + ";" + vEscape(a.City) + ";" + vEscape(a.State) + ";" + vEscape(a.PostalCode) + ";" + vEscape(a.Country))
	}
	if r.TimeZone != "" {
		s.line("TZ;VALUE=text:" + vEscape(r.TimeZone)) // 3.0's default value type is an offset
	}
	for _, l := range r.Links {
		s.line("URL;TYPE=" + vParam(l.Label) + ":" + l.URL)
	}
	if len(r.Tags) > 0 {
		parts := make([]string, len(r.Tags))
		for i, t := range r.Tags {
			parts[i] = vEscape(t)
		}
		s.line("CATEGORIES:" + strings.Join(parts, ","))
	}
	s.line("UID:tandem-contact-" + r.ID.String())
	s.line("REV:" + r.UpdatedAt.UTC().Format(time.RFC3339))
	return s.line("END:VCARD")
}

// vcTypes are the vCard TYPEs of the labels they stand for, and back
// (vcLabels).
var vcTypes = map[string]string{"mobile": "CELL", "home": "HOME", "work": "WORK", "fax": "FAX"}

var vcLabels = map[string]string{"cell": "mobile", "home": "home", "work": "work", "fax": "fax"}

func (s *vcardSink) close() error { return s.w.Flush() }

// line writes one content line, folded.
func (s *vcardSink) line(l string) error {
	for len(l) > 75 {
		cut := 75
		for cut > 0 && !utf8.RuneStart(l[cut]) {
			cut--
		}
		s.w.WriteString(l[:cut])
		s.w.WriteString("\r\n ")
		l = l[cut:]
	}
	s.w.WriteString(l)
	_, err := s.w.WriteString("\r\n")
	return err
}

var vEscaper = strings.NewReplacer(`\`, `\\`, ",", `\,`, ";", `\;`, "\r\n", `\n`, "\n", `\n`, "\r", `\n`)

func vEscape(s string) string { return vEscaper.Replace(s) }

// vParam writes a parameter value: quoted unless it is a plain word (a
// label may hold spaces, commas or colons). A parameter value cannot hold
// a double quote; it becomes an apostrophe.
func vParam(s string) string {
	for _, r := range s {
		if !(r == '-' || r >= '0' && r <= '9' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z') {
			return `"` + strings.ReplaceAll(s, `"`, "'") + `"`
		}
	}
	return s
}
