package importer

import (
	"strings"
	"testing"

	"github.com/tandemcrm/tandem/internal/crm"
	"github.com/tandemcrm/tandem/internal/records"
)

func fieldsOf(t Template) string {
	var out []string
	for _, c := range t.Columns {
		out = append(out, c.Field)
	}
	return strings.Join(out, ",")
}

// TestAutoMap maps the headers other tools export.
func TestAutoMap(t *testing.T) {
	custom := []records.FieldDef{{Key: "region", Label: "Sales region", Type: records.FieldSelect, Options: []string{"EMEA"}}}
	cases := []struct{ name, header, want string }{
		{"outlook", "First Name,Middle Name,Last Name,E-mail Address,E-mail 2 Address,Business Phone,Mobile Phone,Company,Job Title,Categories",
			"first_name,,last_name,email,email_2,phone,phone_2,company,title,tags"},
		{"google", "Name,Given Name,Family Name,E-mail 1 - Value,Phone 1 - Value,Organization 1 - Name,Organization 1 - Title,Group Membership",
			"full_name,first_name,last_name,email,phone,company,title,tags"},
		{"hubspot", "Record ID,First Name,Last Name,Email,Phone Number,Company Name,Company Domain Name,Lifecycle Stage,Contact owner,Create Date",
			"external_id,first_name,last_name,email,phone,company,company_domain,lifecycle,owner,created_at"},
		{"salesforce", "Contact ID,Salutation,First Name,Last Name,Title,Account Name,Email,Phone,Mobile,Lead Source,Contact Owner",
			"external_id,,first_name,last_name,title,company,email,phone,phone_2,source,owner"},
		{"pipedrive", "Person - Name,Person - Email,Person - Phone,Person - Organization,Person - Owner,Person - Labels",
			"full_name,email,phone,company,owner,tags"},
		{"german", "Vorname;Nachname;E-Mail;Firma;Telefon", "first_name,last_name,email,company,phone"},
		{"mobile only", "Name,Mobile", "full_name,phone"},
		{"custom and repeats", "Email,email,Sales region,Region", "email,,custom.region,"},
	}
	for _, c := range cases {
		sep := ","
		if strings.Contains(c.header, ";") {
			sep = ";"
		}
		got := AutoMap(Contacts{}, strings.Split(c.header, sep), Defs{Custom: custom})
		if fieldsOf(got) != c.want {
			t.Errorf("%s: %s\nwant %s", c.name, fieldsOf(got), c.want)
		}
	}
}

// TestResolve checks templates against a file's header.
func TestResolve(t *testing.T) {
	header := []string{"Email", "Name", "Stage"}
	ok := Template{Kind: "contacts", Columns: []ColumnMap{{"email", "email"}, {"Name", "full_name"}, {"Stage", "lifecycle"}},
		Values: map[string]map[string]string{"lifecycle": {"Closed Won": "customer"}}, Dedupe: Dedupe{Policy: CreateOrUpdate, Match: "email"}}
	p, err := Resolve(Contacts{}, ok, header, Defs{})
	if err != nil {
		t.Fatal(err)
	}
	if v := p.Values([]string{" a@b.co ", "", "closed won"}); v["email"] != "a@b.co" || v["lifecycle"] != "customer" || len(v) != 2 {
		t.Fatalf("values: %v", v)
	}
	bad := []struct {
		t     Template
		field string
	}{
		{Template{Kind: "companies", Columns: ok.Columns, Dedupe: ok.Dedupe}, "kind"},
		{Template{Columns: []ColumnMap{{"Email", "nope"}}, Dedupe: Dedupe{}}, "columns.Email"},
		{Template{Columns: []ColumnMap{{"Missing", "email"}}}, "columns.Missing"},
		{Template{Columns: []ColumnMap{{"Email", "email"}, {"Name", "email"}}}, "columns.Name"},
		{Template{Columns: []ColumnMap{{"Name", "full_name"}}, Dedupe: Dedupe{Policy: CreateOrUpdate, Match: "email"}}, "dedupe.match"},
		{Template{Columns: []ColumnMap{{"Name", "full_name"}}, Dedupe: Dedupe{Policy: "merge"}}, "dedupe.policy"},
		{Template{Columns: []ColumnMap{{"Email", "email"}}, Dedupe: Dedupe{Policy: CreateOrUpdate, Match: "title"}}, "dedupe.match"},
		{Template{}, "columns"},
	}
	for i, b := range bad {
		_, err := Resolve(Contacts{}, b.t, header, Defs{})
		if msg := fieldErrors(err)[b.field]; msg == "" {
			t.Errorf("case %d: want an error on %s, got %v", i, b.field, err)
		}
	}
}

// FuzzMapping: any header maps without panicking, an automatic mapping
// always resolves (when it maps anything), and values come only from
// mapped columns.
func FuzzMapping(f *testing.F) {
	f.Add("First Name,Last Name,E-mail Address,Company", "Ada,Lovelace,ada@example.com,Engines")
	f.Add("Email,email,EMAIL,,Name", "a,b,c,d,e")
	f.Add("Website;Lifecycle Stage", "https://x.io;MQL")
	f.Fuzz(func(t *testing.T, header, row string) {
		h := Header(strings.Split(header, ","))
		tmpl := AutoMap(Contacts{}, h, Defs{})
		if len(tmpl.Columns) != len(h) {
			t.Fatalf("%d columns mapped of %d", len(tmpl.Columns), len(h))
		}
		mapped := false
		for _, c := range tmpl.Columns {
			mapped = mapped || c.Field != ""
		}
		tmpl.Dedupe = Dedupe{}
		p, err := Resolve(Contacts{}, tmpl, h, Defs{})
		if mapped && err != nil {
			t.Fatalf("automatic mapping of %q does not resolve: %v", h, err)
		}
		if err != nil {
			return
		}
		for k := range p.Values(strings.Split(row, ",")) {
			found := false
			for _, f := range p.Fields {
				found = found || f == k
			}
			if !found {
				t.Fatalf("value for unmapped field %s", k)
			}
		}
	})
}

func fieldErrors(err error) map[string]string {
	f := crm.ErrorFields(err)
	if f == nil {
		return map[string]string{}
	}
	return f
}
