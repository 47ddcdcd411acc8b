package records

import (
	"fmt"
	"net/url"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/tandemcrm/tandem/internal/crm"
)

// Address is a postal address of a person or a company. Every part is free
// text ("" unknown): addresses are written many ways around the world, and
// a CRM that insists on one format loses the ones it cannot parse.
type Address struct {
	Street     string `json:"street"` // may hold several lines
	City       string `json:"city"`
	State      string `json:"state"` // state, region, province or county
	PostalCode string `json:"postal_code"`
	Country    string `json:"country"`
}

// AddressFields are the parts' keys, in the order forms show them; they are
// also the columns and the filter fields.
var AddressFields = []string{"street", "city", "state", "postal_code", "country"}

// Part returns the part named key (one of AddressFields).
func (a *Address) Part(key string) *string {
	switch key {
	case "street":
		return &a.Street
	case "city":
		return &a.City
	case "state":
		return &a.State
	case "postal_code":
		return &a.PostalCode
	case "country":
		return &a.Country
	}
	return nil
}

// IsZero says whether no part is known.
func (a Address) IsZero() bool { return a == Address{} }

// Lines is the address as a person writes it on an envelope: the street
// lines, then postal code and city, then state and country.
func (a Address) Lines() []string {
	var out []string
	for _, l := range strings.Split(a.Street, "\n") {
		if l = strings.TrimSpace(l); l != "" {
			out = append(out, l)
		}
	}
	join := func(parts ...string) {
		var kept []string
		for _, p := range parts {
			if p != "" {
				kept = append(kept, p)
			}
		}
		if len(kept) > 0 {
			out = append(out, strings.Join(kept, " "))
		}
	}
	join(a.PostalCode, a.City)
	if a.State != "" && a.Country != "" {
		join(a.State+",", a.Country)
	} else {
		join(a.State, a.Country)
	}
	return out
}

// AddressPatch changes some parts of an address; nil leaves a part as is.
type AddressPatch struct {
	Street, City, State, PostalCode, Country *string
}

// patch is the patch that sets every part to a's.
func (a Address) patch() AddressPatch {
	return AddressPatch{Street: &a.Street, City: &a.City, State: &a.State, PostalCode: &a.PostalCode, Country: &a.Country}
}

// apply changes a by the patch.
func (p AddressPatch) apply(a *Address) {
	for _, f := range []struct {
		dst *string
		v   *string
	}{{&a.Street, p.Street}, {&a.City, p.City}, {&a.State, p.State}, {&a.PostalCode, p.PostalCode}, {&a.Country, p.Country}} {
		if f.v != nil {
			*f.dst = *f.v
		}
	}
}

// Part returns the pointer for the part named key, so a caller can set one
// part by its key (the one-field editors).
func (p *AddressPatch) Part(key string) **string {
	switch key {
	case "street":
		return &p.Street
	case "city":
		return &p.City
	case "state":
		return &p.State
	case "postal_code":
		return &p.PostalCode
	case "country":
		return &p.Country
	}
	return nil
}

// normalize trims every part (the street keeps its line breaks, as \n) and
// reports parts that are too long.
func (a *Address) normalize(fe crm.FieldErrors) {
	a.Street = TidyStreet(a.Street)
	// Limits count characters, as the API's schema does ("München" is 7).
	if chars(a.Street) > 300 || strings.Count(a.Street, "\n") >= 4 {
		fe.Add("street", "Use at most 4 lines and 300 characters.")
	}
	for _, k := range AddressFields[1:] {
		part := a.Part(k)
		*part = strings.Join(strings.Fields(*part), " ")
		if chars(*part) > 100 {
			fe.Add(k, "Use at most 100 characters.")
		}
	}
}

// chars is how many characters s has: limits count those, as the API's
// schema does ("Zoë" is 3), not bytes.
func chars(s string) int { return utf8.RuneCountInString(s) }

// TidyStreet trims every line of a street (line breaks of any kind become
// \n) and drops the empty ones.
func TidyStreet(s string) string {
	if !strings.ContainsAny(s, "\r\n") {
		return strings.TrimSpace(s)
	}
	lines := strings.Split(strings.ReplaceAll(strings.ReplaceAll(s, "\r\n", "\n"), "\r", "\n"), "\n")
	kept := lines[:0]
	for _, l := range lines {
		if l = strings.TrimSpace(l); l != "" {
			kept = append(kept, l)
		}
	}
	return strings.Join(kept, "\n")
}

// diffAddress adds the parts that differ between a and b to ch.
func diffAddress(ch map[string]crm.Change, a, b Address) {
	for _, k := range AddressFields {
		if x, y := *a.Part(k), *b.Part(k); x != y {
			ch[k] = crm.Change{Before: emptyNil(x), After: emptyNil(y)}
		}
	}
}

// CheckTimeZone normalises a time zone name and says whether it is one:
// an IANA name such as Europe/Berlin ("" is unknown, and fine).
func CheckTimeZone(name string) (string, bool) {
	name = strings.TrimSpace(name)
	if name == "" {
		return "", true
	}
	if name == "Local" {
		return name, false
	}
	loc, err := time.LoadLocation(name)
	if err != nil {
		return name, false
	}
	return loc.String(), true
}

// Link is a web page about a person: their website or a social profile.
type Link struct {
	Label string `json:"label"` // "LinkedIn", "Website", … (from the address when not given)
	URL   string `json:"url"`
}

// linkLabels name well-known sites by their host.
var linkLabels = map[string]string{
	"linkedin.com": "LinkedIn", "x.com": "X", "twitter.com": "X", "github.com": "GitHub", "facebook.com": "Facebook",
	"instagram.com": "Instagram", "youtube.com": "YouTube", "xing.com": "XING", "mastodon.social": "Mastodon",
	"bsky.app": "Bluesky", "tiktok.com": "TikTok", "medium.com": "Medium", "threads.net": "Threads",
}

// NormalizeLink turns what someone typed ("linkedin.com/in/ada", "https://…")
// into an http(s) address and a label; ok is false when it is not a web
// address.
func NormalizeLink(l Link) (Link, bool) {
	raw := strings.TrimSpace(l.URL)
	if raw == "" || len(raw) > 500 || strings.ContainsAny(raw, " \t\r\n\"<>") {
		return l, false
	}
	if !strings.Contains(raw, "://") {
		raw = "https://" + raw
	}
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.User != nil || !strings.Contains(u.Hostname(), ".") {
		return l, false
	}
	u.Host = strings.ToLower(u.Host)
	out := Link{URL: u.String(), Label: strings.Join(strings.Fields(l.Label), " ")}
	if out.Label == "" {
		host := strings.TrimPrefix(u.Hostname(), "www.")
		out.Label = "Website"
		for site, label := range linkLabels {
			if host == site || strings.HasSuffix(host, "."+site) {
				out.Label = label
			}
		}
	}
	if len(out.Label) > 50 {
		return l, false
	}
	return out, true
}

// normalizeLinks normalises every link, drops repeated addresses and
// reports the ones that are not web addresses.
func normalizeLinks(ls []Link, fe crm.FieldErrors) []Link {
	out := make([]Link, 0, len(ls))
	seen := map[string]bool{}
	for i, l := range ls {
		n, ok := NormalizeLink(l)
		if !ok {
			fe.Add(fmt.Sprintf("links.%d", i), "Enter a web address, like https://example.com or linkedin.com/in/name.")
			continue
		}
		if !seen[n.URL] {
			seen[n.URL] = true
			out = append(out, n)
		}
	}
	if len(out) > 10 {
		fe.Add("links", "A contact holds at most 10 links.")
	}
	return out
}
