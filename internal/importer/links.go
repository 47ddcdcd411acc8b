package importer

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"

	"github.com/tandemcrm/tandem/internal/records"
)

// A contact's links (website, social profiles) come from a "Links" column
// — several links, each "Label: URL", as the export writes them — and from
// one column per kind of page. The site columns take a profile's address
// or, where a handle is usual (X, Facebook, LinkedIn), the handle alone.

// maxLinks is how many links records lets a contact hold.
const maxLinks = 10

// linkField is a column of links: its field, the label its links get
// ("" to name them by their site) and the profile address a handle
// completes.
type linkField struct {
	key, label, profile string
	spec                FieldSpec
}

// linkFields, in the order a row's links are read. A bare "Website"
// column is not among them: in CRM exports (HubSpot, Salesforce and Zoho
// leads) it is the company's, and it stays the company's domain; address
// books name a person's own page "Web Page" (Outlook) or "Website 1 -
// Value" (Google).
var linkFields = []linkField{
	{key: "links", spec: FieldSpec{Key: "links", Label: "Links (several)", Synonyms: []string{"links", "link", "weblinks", "sociallinks",
		"socialprofiles", "profiles", "urls", "websites"}}},
	{key: "personal_website", spec: FieldSpec{Key: "personal_website", Label: "Personal website", Synonyms: []string{"personalwebsite", "personalwebpage",
		"personalurl", "personalsite", "webpage", "website1value", "blog", "homepageurl"}}},
	{key: "linkedin", label: "LinkedIn", profile: "https://www.linkedin.com/in/", spec: FieldSpec{Key: "linkedin", Label: "LinkedIn",
		Synonyms: []string{"linkedin", "linkedinurl", "linkedinprofile", "linkedinprofileurl", "linkedinpage", "personlinkedin"}}},
	{key: "x", label: "X", profile: "https://x.com/", spec: FieldSpec{Key: "x", Label: "X (Twitter)", Synonyms: []string{"x", "twitter",
		"twitterurl", "twitterhandle", "twitterusername", "twitterprofile", "xhandle", "xurl", "xprofile", "xusername"}}},
	{key: "facebook", label: "Facebook", profile: "https://www.facebook.com/", spec: FieldSpec{Key: "facebook", Label: "Facebook",
		Synonyms: []string{"facebook", "facebookurl", "facebookprofile", "facebookpage"}}},
}

func linkSpecs() []FieldSpec {
	out := make([]FieldSpec, len(linkFields))
	for i, f := range linkFields {
		out[i] = f.spec
	}
	return out
}

func linkKeys() []string {
	out := make([]string, len(linkFields))
	for i, f := range linkFields {
		out[i] = f.key
	}
	return out
}

// rawLink is a link as a cell gives it, not yet checked.
type rawLink struct{ label, url string }

// splitLinks reads a cell of links: items separated by "; " or ", " (a
// semicolon or comma then a space: addresses hold no spaces), line breaks
// or Google Contacts' " ::: "; each "Label: URL" or a bare URL. A label is
// what comes before the last ": " (so it may hold one); a label holding a
// separator is written in double quotes, `"Talks, slides": https://…`,
// with a quote in it doubled. "LinkedIn:https://…" is read too.
func splitLinks(cell string) []rawLink {
	var out []rawLink
	for i := 0; i < len(cell); {
		for i < len(cell) && isBlank(cell[i]) {
			i++
		}
		label, quoted := "", false
		if i < len(cell) && cell[i] == '"' {
			if l, j, ok := readQuoted(cell, i); ok && strings.HasPrefix(cell[j:], ": ") {
				label, quoted, i = l, true, j+2
			}
		}
		j := nextSep(cell, i)
		it := strings.TrimSpace(cell[i:j])
		switch {
		case j < len(cell) && cell[j] == ' ':
			i = j + len(" ::: ")
		default:
			i = j + 1
		}
		switch {
		case quoted:
			out = append(out, rawLink{label, it})
		case it == "":
		default:
			out = append(out, itemLinks(it)...)
		}
	}
	return out
}

func isBlank(c byte) bool { return c == ' ' || c == '\t' || c == '\r' || c == '\n' }

// nextSep is where the item starting at i ends: at the next separator or
// the end of the cell.
func nextSep(cell string, i int) int {
	for k := i; k < len(cell); k++ {
		switch c := cell[k]; {
		case c == '\n' || c == '\r':
			return k
		case (c == ';' || c == ',') && k+1 < len(cell) && (cell[k+1] == ' ' || cell[k+1] == '\t'):
			return k
		case c == ' ' && strings.HasPrefix(cell[k:], " ::: "):
			return k
		}
	}
	return len(cell)
}

// readQuoted reads the double-quoted text starting at i, its doubled
// quotes undone; j is just after the closing quote.
func readQuoted(cell string, i int) (string, int, bool) {
	var b strings.Builder
	for k := i + 1; k < len(cell); k++ {
		if cell[k] != '"' {
			b.WriteByte(cell[k])
			continue
		}
		if k+1 < len(cell) && cell[k+1] == '"' {
			b.WriteByte('"')
			k++
			continue
		}
		return b.String(), k + 1, true
	}
	return "", i, false
}

// itemLinks reads one item without a quoted label.
func itemLinks(it string) []rawLink {
	if i := strings.LastIndex(it, ": "); i >= 0 {
		return []rawLink{{strings.TrimSpace(it[:i]), strings.TrimSpace(it[i+2:])}}
	}
	if i := strings.Index(it, ":http"); i > 0 && !strings.Contains(it[:i], "/") {
		return []rawLink{{it[:i], it[i+1:]}}
	}
	// Bare addresses separated by spaces only; words that are not
	// addresses stay one value (and one warning).
	if f := strings.Fields(it); len(f) > 1 && !slices.ContainsFunc(f, func(u string) bool { return !strings.Contains(u, ".") }) {
		out := make([]rawLink, len(f))
		for i, u := range f {
			out[i] = rawLink{url: u}
		}
		return out
	}
	return []rawLink{{url: it}}
}

// handle completes a site column's handle ("@ada", "ada.lovelace") to a
// profile address; anything with a slash or a colon is an address.
func (f linkField) handle(v string) string {
	if f.profile == "" || strings.ContainsAny(v, "/:") {
		return v
	}
	h := strings.TrimPrefix(v, "@")
	if h == "" || len(h) > 100 || strings.ContainsFunc(h, func(r rune) bool {
		return !(r == '_' || r == '-' || r == '.' || r >= '0' && r <= '9' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z')
	}) {
		return v
	}
	return f.profile + h
}

// rowLinks reads the row's link columns (those in keys) into checked
// links, adding them to have: a value that is not a web address is left
// out with a warning, a repeated address is kept once, and beyond
// maxLinks the rest are left out with a warning.
func rowLinks(vals map[string]string, keys []string, have []records.Link, note func(*Outcome)) []records.Link {
	full := false
	for _, f := range linkFields {
		v := vals[f.key]
		if v == "" || !slices.Contains(keys, f.key) {
			continue
		}
		for _, r := range splitLinks(v) {
			label := r.label
			if label == "" {
				label = f.label
			}
			l, ok := records.NormalizeLink(records.Link{Label: label, URL: f.handle(r.url)})
			switch {
			case !ok:
				note(&Outcome{Action: Warned, Field: f.key, Value: r.url, Message: "not a web address like https://example.com or linkedin.com/in/name; left out"})
				continue
			case slices.ContainsFunc(have, func(x records.Link) bool { return x.URL == l.URL }):
				continue
			case len(have) >= maxLinks:
				if !full {
					note(&Outcome{Action: Warned, Field: f.key, Value: l.URL, Message: fmt.Sprintf("a contact holds at most %d links; the rest are left out", maxLinks)})
				}
				full = true
				continue
			}
			have = append(have, l)
		}
	}
	return have
}

// profileLink is the link a company domain column's value is when it is a
// page on a social site (linkedin.com/in/ada): not a company's website.
// Only values with a path are looked at, so a plain domain costs nothing.
func profileLink(v string) (records.Link, bool) {
	rest := v
	if i := strings.Index(rest, "://"); i >= 0 {
		rest = rest[i+3:]
	}
	if i := strings.IndexByte(rest, '/'); i < 0 || i >= len(rest)-1 {
		return records.Link{}, false
	}
	l, ok := records.NormalizeLink(records.Link{URL: v})
	return l, ok && l.Label != "Website"
}

// mergeLinks adds src's links to dst's: a link dst has already (the same
// address) takes src's label; new ones are added up to maxLinks.
func mergeLinks(dst *[]records.Link, src []records.Link) {
	for _, l := range src {
		i := -1
		for j, d := range *dst {
			if d.URL == l.URL {
				i = j
			}
		}
		switch {
		case i >= 0:
			(*dst)[i].Label = l.Label
		case len(*dst) < maxLinks:
			*dst = append(*dst, l)
		}
	}
}

// linksText is the links column's JSON; "[]" for none, without encoding.
func linksText(ls []records.Link) string {
	if len(ls) == 0 {
		return "[]"
	}
	b, _ := json.Marshal(ls)
	return string(b)
}

// formatLinks writes a contact's links as a cell that splitLinks reads
// back as they are: "Label: URL" items separated by "; ".
func formatLinks(ls []records.Link) string {
	if len(ls) == 0 {
		return ""
	}
	var b strings.Builder
	for i, l := range ls {
		if i > 0 {
			b.WriteString("; ")
		}
		b.WriteString(linkText(l.Label, l.URL))
	}
	return b.String()
}

// linkText is one item of a Links cell: "Label: URL", the label in double
// quotes when it holds a separator or starts with a quote; the URL alone
// without a label.
func linkText(label, url string) string {
	switch {
	case label == "":
		return url
	case strings.Contains(label, "; ") || strings.Contains(label, ", ") || strings.Contains(label, " ::: ") ||
		strings.ContainsAny(label, "\r\n") || strings.HasPrefix(label, `"`):
		return `"` + strings.ReplaceAll(label, `"`, `""`) + `": ` + url
	}
	return label + ": " + url
}
