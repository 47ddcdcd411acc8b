package importer

import (
	"slices"
	"strings"

	"github.com/tandemcrm/tandem/internal/records"
)

// Where a person or a company is: the postal address (contacts and
// companies), and a person's time zone and links (website, social
// profiles). The values are tidied and checked as records does for a
// contact edited by hand, since the import writes its rows itself.

// addressSynonyms are the headers of each address part in the exports of
// HubSpot ("Street Address", "State/Region", "Country/Region"),
// Salesforce and Zoho ("Mailing Street", "Mailing Zip/Postal Code"),
// Pipedrive ("Person - Address": its combined address, read as the
// street), Google Contacts ("Address 1 - Street", "Address 1 - Region"),
// Outlook ("Business Street", "Business Country/Region") and spreadsheets
// ("Address", "Zip"), with a few German and French ones.
var addressSynonyms = map[string][]string{
	"street": {"street", "address", "streetaddress", "address1", "addressline1", "street1", "addressstreet", "mailingstreet",
		"mailingaddress", "postaladdress", "address1street", "businessstreet", "homestreet", "personaddress", "strasse", "straße", "adresse"},
	// The street's further lines (streetLines).
	"street_2": {"street2", "streetline2", "addressline2", "address2", "streetaddress2", "businessstreet2", "homestreet2",
		"mailingstreet2", "address1extendedaddress", "extendedaddress", "adresszusatz"},
	"street_3": {"street3", "streetline3", "addressline3", "address3", "streetaddress3", "businessstreet3", "homestreet3",
		"mailingstreet3"},
	"city": {"city", "town", "locality", "addresscity", "mailingcity", "address1city", "businesscity", "homecity", "ort", "stadt", "ville"},
	"state": {"state", "stateregion", "region", "province", "county", "stateprovince", "stateorprovince", "addressstate", "mailingstate",
		"mailingstateprovince", "address1region", "businessstate", "homestate", "bundesland"},
	"postal_code": {"zip", "zipcode", "postalcode", "postcode", "postal", "zippostalcode", "addresszip", "mailingzip", "mailingzipcode",
		"mailingpostalcode", "mailingzippostalcode", "address1postalcode", "businesspostalcode", "homepostalcode", "plz",
		"postleitzahl", "codepostal"},
	"country": {"country", "countryregion", "countryname", "addresscountry", "mailingcountry", "address1country", "businesscountry",
		"businesscountryregion", "homecountry", "homecountryregion", "land", "pays"},
}

// billingSynonyms are the address headers of company (account) exports
// of Salesforce and Zoho, which also give a shipping address (not read).
var billingSynonyms = map[string][]string{
	"street":      {"billingstreet", "billingaddress", "organizationaddress", "companyaddress", "companystreet"},
	"city":        {"billingcity", "companycity"},
	"state":       {"billingstate", "billingstateprovince", "companystate"},
	"postal_code": {"billingzip", "billingzipcode", "billingpostalcode", "billingzippostalcode", "billingcode", "companyzip", "companypostalcode"},
	"country":     {"billingcountry", "companycountry"},
}

// streetLines are the fields of a street's second and third lines, which
// Outlook ("Business Street 2", "Home Street 3"), Google Contacts
// ("Address 1 - Extended Address": a suite or flat) and spreadsheets
// ("Address Line 2") give in columns of their own. The import joins them
// to the street, one line each, as a street typed by hand holds them.
var streetLines = []string{"street_2", "street_3"}

// addressKeys are the import's address fields: the parts, with the
// street's further lines after the street.
var addressKeys = slices.Insert(slices.Clone(records.AddressFields), 1, streetLines...)

var addressLabels = map[string]string{"street": "Street", "street_2": "Street, line 2", "street_3": "Street, line 3", "city": "City",
	"state": "State / region", "postal_code": "Postal code", "country": "Country"}

// addressSpecs are the fields of the address parts, with extra synonyms
// (per part) after the common ones.
func addressSpecs(extra map[string][]string) []FieldSpec {
	out := make([]FieldSpec, 0, len(addressKeys))
	for _, k := range addressKeys {
		out = append(out, FieldSpec{Key: k, Label: addressLabels[k], Synonyms: append(append([]string(nil), addressSynonyms[k]...), extra[k]...)})
	}
	return out
}

// addressPart is the address part an import field writes: the street for
// its further lines.
func addressPart(k string) string {
	if slices.Contains(streetLines, k) {
		return "street"
	}
	return k
}

// mapped lists the keys among keys that the plan maps a column to.
func mapped(p Plan, keys ...string) []string {
	var out []string
	for _, k := range keys {
		for _, f := range p.Fields {
			if f == k {
				out = append(out, k)
				break
			}
		}
	}
	return out
}

// addressOf reads a row's address parts, tidied as records tidies them:
// the street's lines trimmed (empty ones dropped), the other parts' spaces
// collapsed. A part too long to store fails the row. has says whether the
// row gives any part.
func addressOf(vals map[string]string, parts []string) (a records.Address, has bool, bad *Outcome) {
	var street []string
	for _, k := range parts {
		v := vals[k]
		if v == "" {
			continue
		}
		has = true
		if addressPart(k) == "street" {
			street = append(street, v) // parts keep addressKeys' order
			continue
		}
		part := a.Part(k)
		*part = strings.Join(strings.Fields(v), " ")
		if len(*part) > 100 {
			o := fail(k, v, "an address part is limited to 100 characters")
			return a, has, &o
		}
	}
	if len(street) > 0 {
		v := strings.Join(street, "\n")
		a.Street = records.TidyStreet(v)
		if n := strings.Count(a.Street, "\n") + 1; len(a.Street) > 300 || n > 4 {
			o := fail("street", v, "a street is limited to 4 lines and 300 characters")
			return a, has, &o
		}
	}
	return a, has, nil
}

// placeFields are which of the address, time zone and link fields a plan
// maps; rows of a file without them skip their parsing.
type placeFields struct {
	addr, links []string
	any         bool
}

func placeFieldsOf(p Plan) placeFields {
	f := placeFields{addr: mapped(p, addressKeys...), links: mapped(p, linkKeys()...)}
	f.any = len(f.addr) > 0 || len(f.links) > 0 || len(mapped(p, "time_zone")) > 0
	return f
}

// parsePlace reads a row's address, time zone and links. A time zone or
// link that is not one is left out with a warning; an address part too
// long to store fails the row.
func (b *contactBatch) parsePlace(p *parsed, vals map[string]string, note func(*Outcome)) *Outcome {
	a, has, bad := addressOf(vals, b.place.addr)
	if bad != nil {
		return bad
	}
	if has {
		p.c.Address = a
		for _, k := range b.place.addr {
			p.set[addressPart(k)] = true
		}
	}
	if v := vals["time_zone"]; v != "" {
		if tz, ok := b.zones.check(v); ok {
			p.c.TimeZone = tz
		} else {
			note(&Outcome{Action: Warned, Field: "time_zone", Value: v, Message: "not a time zone like Europe/Berlin or America/New_York; left out"})
		}
	}
	if len(b.place.links) > 0 {
		p.c.Links = rowLinks(vals, b.place.links, p.c.Links, note)
	}
	return nil
}

// setAddress copies the parts the row sets from src to dst. A row that
// gives any part of an address gives all the parts its file has columns
// for (addressOf's caller marks them), so a new city never ends up with
// the old street.
func setAddress(dst *records.Address, src records.Address, set map[string]bool) {
	for _, k := range records.AddressFields {
		if set[k] {
			*dst.Part(k) = *src.Part(k)
		}
	}
}

// zones caches time zone names already checked: a file repeats a few
// names, and loading a zone reads the zone database.
type zones map[string]zoneName

type zoneName struct {
	name string
	ok   bool
}

// check reads a time zone: an IANA name ("Europe/Berlin"), also written
// with spaces ("America/New York") or after an offset in brackets, as
// some tools show it ("(GMT-05:00) America/New_York").
func (z zones) check(v string) (string, bool) {
	if r, ok := z[v]; ok {
		return r.name, r.ok
	}
	name, ok := records.CheckTimeZone(v)
	if !ok {
		s := v
		if strings.HasPrefix(s, "(") {
			if i := strings.IndexByte(s, ')'); i > 0 {
				s = strings.TrimSpace(s[i+1:])
			}
		}
		name, ok = records.CheckTimeZone(strings.ReplaceAll(s, " ", "_"))
	}
	if len(z) < 1000 {
		z[v] = zoneName{name, ok}
	}
	return name, ok
}
