package importer

import (
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/tandemcrm/tandem/internal/records"
)

// TestAutoMapPlace maps the address, time zone and link headers of other
// tools; a bare "Website" stays the company's domain.
func TestAutoMapPlace(t *testing.T) {
	custom := []records.FieldDef{{Key: "region", Label: "Sales region", Type: records.FieldText}}
	for _, c := range []struct {
		name   string
		kind   Kind
		header string
		want   string
	}{
		{"hubspot", Contacts{}, "Email,Street Address,City,State/Region,Postal Code,Country/Region,Time Zone,Website URL,LinkedIn,Twitter Username",
			"email,street,city,state,postal_code,country,time_zone,company_domain,linkedin,x"},
		{"salesforce", Contacts{}, "Email,Mailing Street,Mailing City,Mailing State/Province,Mailing Zip/Postal Code,Mailing Country",
			"email,street,city,state,postal_code,country"},
		{"google", Contacts{}, "E-mail 1 - Value,Address 1 - Formatted,Address 1 - Street,Address 1 - City,Address 1 - Region,Address 1 - Postal Code,Address 1 - Country,Website 1 - Value",
			"email,,street,city,state,postal_code,country,personal_website"},
		{"outlook", Contacts{}, "E-mail Address,Business Street,Business City,Business State,Business Postal Code,Business Country/Region,Web Page",
			"email,street,city,state,postal_code,country,personal_website"},
		{"spreadsheet", Contacts{}, "Email,Address,Town,Province,Zip,Country,Timezone,X,Facebook,Links,Website",
			"email,street,city,state,postal_code,country,time_zone,x,facebook,links,company_domain"},
		{"outlook, every street line", Contacts{}, "E-mail Address,Business Street,Business Street 2,Business Street 3,Business City,Home Street,Home Street 2",
			"email,street,street_2,street_3,city,,"},
		{"google, a suite", Contacts{}, "E-mail 1 - Value,Address 1 - Street,Address 1 - Extended Address,Address 1 - City,Address 2 - Street",
			"email,street,street_2,city,"},
		{"spreadsheet lines", Companies{}, "Name,Address Line 1,Address Line 2,Address Line 3,Zip", "name,street,street_2,street_3,postal_code"},
		{"a custom field's key wins over a synonym", Contacts{}, "Email,County,Region", "email,state,custom.region"},
		{"the export's own headers", Contacts{}, strings.Join(ContactHeader, ","),
			"first_name,last_name,email,email_2,phone,phone_2,title,company,company_domain,lifecycle,source,tags,owner,created_at," +
				"street,city,state,postal_code,country,time_zone,links"},
		{"salesforce accounts", Companies{}, "Account Name,Website,Billing Street,Billing City,Billing State/Province,Billing Zip/Postal Code,Billing Country,Shipping Street",
			"name,domain,street,city,state,postal_code,country,"},
		{"zoho accounts", Companies{}, "Account Name,Billing Street,Billing City,Billing State,Billing Code,Billing Country",
			"name,street,city,state,postal_code,country"},
		{"company export", Companies{}, strings.Join(CompanyHeader, ","),
			"name,domain,other_domains,industry,size,phone,tags,owner,street,city,state,postal_code,country,parent"},
	} {
		if got := fieldsOf(AutoMap(c.kind, strings.Split(c.header, ","), Defs{Custom: custom})); got != c.want {
			t.Errorf("%s: %s\nwant %s", c.name, got, c.want)
		}
	}
	// The activities' time zone is a field of their own kind.
	if got := fieldsOf(AutoMap(Activities{}, []string{"Time Zone"}, Defs{})); got != "timezone" {
		t.Errorf("activities: %s", got)
	}
}

// TestLinksCell: a Links cell reads back as the export wrote it, whatever
// its labels hold; hand-written cells are read too.
func TestLinksCell(t *testing.T) {
	for _, ls := range [][]records.Link{
		{{Label: "LinkedIn", URL: "https://www.linkedin.com/in/ada"}, {Label: "Website", URL: "https://ada.example/"}},
		{{Label: "Talks; slides, 2024", URL: "https://talks.example/a;b,c"}, {Label: "X", URL: "https://x.com/ada"}},
		{{Label: "Blog: personal", URL: "https://ada.example/blog?a=1;b=2"}},
		{{Label: "Odd:", URL: "https://odd.example/x;"}, {Label: "Next", URL: "https://next.example/"}},
	} {
		cell := formatLinks(ls)
		var got []records.Link
		for _, r := range splitLinks(cell) {
			got = append(got, records.Link{Label: r.label, URL: r.url})
		}
		if !reflect.DeepEqual(got, ls) {
			t.Errorf("%q reads as %+v, want %+v", cell, got, ls)
		}
	}
	for cell, want := range map[string]string{
		"linkedin.com/in/ada, https://ada.example":         "|linkedin.com/in/ada |https://ada.example",
		"https://a.example https://b.example":              "|https://a.example |https://b.example",
		"LinkedIn:https://linkedin.com/in/ada":             "LinkedIn|https://linkedin.com/in/ada",
		"https://a.example ::: Blog: https://b.example":    "|https://a.example Blog|https://b.example",
		"Home: https://a.example\r\n\r\nhttps://b.example": "Home|https://a.example |https://b.example",
	} {
		var got []string
		for _, r := range splitLinks(cell) {
			got = append(got, r.label+"|"+r.url)
		}
		if strings.Join(got, " ") != want {
			t.Errorf("%q: %q, want %q", cell, strings.Join(got, " "), want)
		}
	}
}

// TestRowLinks: site columns take handles, every column's links are
// checked and kept once, and a bad one or one too many is a warning.
func TestRowLinks(t *testing.T) {
	var notes []string
	note := func(o *Outcome) { notes = append(notes, o.Field+" "+o.Value+": "+o.Message) }
	vals := map[string]string{
		"links":            "Blog: ada.example/blog; javascript:alert(1)",
		"personal_website": "https://ada.example/blog",
		"linkedin":         "ada-lovelace",
		"x":                "@ada_l",
		"facebook":         "ada.lovelace",
	}
	got := rowLinks(vals, linkKeys(), nil, note)
	want := []records.Link{{Label: "Blog", URL: "https://ada.example/blog"}, {Label: "LinkedIn", URL: "https://www.linkedin.com/in/ada-lovelace"},
		{Label: "X", URL: "https://x.com/ada_l"}, {Label: "Facebook", URL: "https://www.facebook.com/ada.lovelace"}}
	if !reflect.DeepEqual(got, want) || len(notes) != 1 || !strings.HasPrefix(notes[0], "links javascript:alert(1): not a web address") {
		t.Fatalf("links %+v\nnotes %q", got, notes)
	}
	notes = nil
	var many []string
	for i := range 12 {
		many = append(many, "https://site"+string(rune('a'+i))+".example")
	}
	if got := rowLinks(map[string]string{"links": strings.Join(many, "; ")}, []string{"links"}, nil, note); len(got) != 10 || len(notes) != 1 ||
		!strings.Contains(notes[0], "at most 10 links") {
		t.Fatalf("%d links, notes %q", len(got), notes)
	}
	dst := []records.Link{{Label: "Website", URL: "https://ada.example/"}}
	mergeLinks(&dst, []records.Link{{Label: "Homepage", URL: "https://ada.example/"}, {Label: "X", URL: "https://x.com/ada"}})
	if !reflect.DeepEqual(dst, []records.Link{{Label: "Homepage", URL: "https://ada.example/"}, {Label: "X", URL: "https://x.com/ada"}}) {
		t.Fatalf("merged: %+v", dst)
	}
	for v, ok := range map[string]bool{"https://www.linkedin.com/in/ada": true, "linkedin.com/in/ada": true, "acme.example": false,
		"https://acme.example/": false, "https://acme.example/about": false, "linkedin.com": false, "https://github.com/acme": true} {
		if _, got := profileLink(v); got != ok {
			t.Errorf("profileLink(%q) = %v", v, got)
		}
	}
}

// TestZones: IANA names, also as other tools write them, each looked up
// once.
func TestZones(t *testing.T) {
	z := zones{}
	for v, want := range map[string]string{"Europe/Berlin": "Europe/Berlin", "America/New York": "America/New_York",
		"(GMT-05:00) America/New_York": "America/New_York", "UTC": "UTC", "Mars/Olympus": "", "Local": "", "+01:00": ""} {
		got, ok := z.check(v)
		if ok != (want != "") || ok && got != want {
			t.Errorf("%q: %q %v, want %q", v, got, ok, want)
		}
		if _, cached := z[v]; !cached {
			t.Errorf("%q is not cached", v)
		}
	}
}

// TestAddressOf: parts are tidied as records tidies them, too long ones
// fail the row.
func TestAddressOf(t *testing.T) {
	a, has, bad := addressOf(map[string]string{"street": " Unter den Linden 1 \r\n\r\n  Hof 2", "city": "Berlin   Mitte", "title": "x"},
		records.AddressFields)
	if !has || bad != nil || a != (records.Address{Street: "Unter den Linden 1\nHof 2", City: "Berlin Mitte"}) {
		t.Fatalf("%+v %v %v", a, has, bad)
	}
	if _, has, _ := addressOf(map[string]string{"city": "Berlin"}, []string{"street"}); has {
		t.Fatal("a part not asked for was read")
	}
	// A street's further lines, in their own columns, join it in order;
	// without the street they are the street.
	a, has, bad = addressOf(map[string]string{"street_3": "Building 2", "street": "1 Navy Way ", "street_2": " Floor 3\n"}, addressKeys)
	if !has || bad != nil || a.Street != "1 Navy Way\nFloor 3\nBuilding 2" {
		t.Errorf("street lines: %q %v %v", a.Street, has, bad)
	}
	if a, _, _ := addressOf(map[string]string{"street_2": "Suite 100", "city": "Austin"}, addressKeys); a != (records.Address{Street: "Suite 100", City: "Austin"}) {
		t.Errorf("line 2 alone: %+v", a)
	}
	for _, vals := range []map[string]string{{"street": "1\n2\n3\n4\n5"}, {"street": "1\n2\n3", "street_2": "4", "street_3": "5"}, {"street": strings.Repeat("x", 301)}, {"country": strings.Repeat("y", 101)}} {
		if _, _, bad := addressOf(vals, addressKeys); bad == nil || bad.Action != Errored {
			t.Errorf("%v: %+v", vals, bad)
		}
	}
}

// FuzzLinks: any Links cell reads without panicking, and the links it
// gives, checked as the import checks them, are written by the export as
// a cell that reads back as the same links.
func FuzzLinks(f *testing.F) {
	f.Add("LinkedIn: https://www.linkedin.com/in/ada; Website: https://ada.example/")
	f.Add("Talks; slides, 2024: talks.example/a;b\nX:https://x.com/ada")
	f.Add("https://a.example ::: Blog: b.example, c.example d.example")
	f.Fuzz(func(t *testing.T, cell string) {
		var links []records.Link
		for _, r := range splitLinks(cell) {
			if l, ok := records.NormalizeLink(records.Link{Label: r.label, URL: r.url}); ok && !slices.ContainsFunc(links, func(x records.Link) bool { return x.URL == l.URL }) {
				links = append(links, l)
			}
		}
		out := formatLinks(links)
		var again []records.Link
		for _, r := range splitLinks(out) {
			again = append(again, records.Link{Label: r.label, URL: r.url})
		}
		if !reflect.DeepEqual(again, links) {
			t.Fatalf("%q: %+v\nwritten %q, read back %+v", cell, links, out, again)
		}
	})
}
