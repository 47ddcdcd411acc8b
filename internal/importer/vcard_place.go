package importer

import "strings"

// What a vCard says of where a person is: ADR, and URL as links (TZ is
// read as it is).

// vcAddress is an ADR's parts (post office box, extended address, street,
// locality, region, postal code, country) and its preference.
type vcAddress struct {
	parts []string
	pref  int
}

// finishPlace fills the address columns from the preferred ADR (the
// first of equal ones): the street, then the extended address (suite,
// floor) and the post office box, one per line; and the Links column.
func finishPlace(row *Row, adr *vcAddress, links []string) {
	if adr != nil {
		p := adr.parts
		row.Fields[vcAdr] = joinNonEmpty(p, ", ")
		row.Fields[vcStreet] = joinNonEmpty([]string{part(p, 2), part(p, 1), part(p, 0)}, "\n")
		row.Fields[vcCity], row.Fields[vcState], row.Fields[vcPostal], row.Fields[vcCountry] = part(p, 3), part(p, 4), part(p, 5), part(p, 6)
	}
	row.Fields[vcLinks] = strings.Join(links, "; ")
}

// urlLabel is a URL's label: its TYPE, unless that is one of vCard's own
// types (home, work, pref, …), which say nothing of the site; "" lets the
// import name it by its site.
func urlLabel(params []string) string {
	for _, t := range rawParam(params, "TYPE") {
		switch strings.ToLower(t) {
		case "", "home", "work", "pref", "internet", "x-internet", "other", "uri", "text":
			continue
		}
		return t
	}
	return ""
}

// rawParam is param without lower-casing the values (labels keep theirs).
func rawParam(params []string, name string) []string {
	var out []string
	for _, p := range params {
		k, v, ok := strings.Cut(p, "=")
		if ok && strings.EqualFold(strings.TrimSpace(k), name) {
			v = strings.TrimSpace(v)
			if strings.HasPrefix(v, `"`) && strings.HasSuffix(v, `"`) && len(v) >= 2 {
				out = append(out, strings.TrimSpace(v[1:len(v)-1])) // a quoted value is one value, commas and all
				continue
			}
			for _, x := range strings.Split(v, ",") {
				out = append(out, strings.TrimSpace(x))
			}
		}
	}
	return out
}
