package filter

import (
	"errors"
	"reflect"
	"testing"

	"github.com/tandemcrm/tandem/internal/crm"
)

func TestCheckErrors(t *testing.T) {
	tests := []struct {
		schema *Schema
		in     string
		want   string
	}{
		{contactSchema, `ownr = me()`, `unknown field 'ownr' at 1:1 — did you mean 'owner'?`},
		{companySchema, `size = "big"`, `cannot compare number field 'size' with text "big" at 1:8 — use a number, like 50 or 12.5`},
		{contactSchema, `company.sise > 5`, `unknown field 'company.sise' at 1:1 — did you mean 'company.size'?`},
		{contactSchema, `custom.regoin = "EMEA"`, `unknown field 'custom.regoin' at 1:1 — did you mean 'custom.region'?`},
		{contactSchema, `company.owner.name = "x"`, `unknown field 'company.owner.name' at 1:1 — filters reach one level into related records, like company.size`},
		{companySchema, `xyzzy = 1`, `unknown field 'xyzzy' at 1:1 — company fields are: name, domain, industry, size, owner, created_at, custom.tier`},
		{contactSchema, `email > 5`, `cannot compare text field 'email' with number 5 at 1:9 — put text in double quotes, like "EMEA"`},
		{contactSchema, `email = ""`, `empty text never matches at 1:9 — use 'email is empty' or 'email is not empty'`},
		{contactSchema, `lifecycle = "leed"`, `"leed" is not a value of 'lifecycle' at 1:13 — did you mean "lead"?`},
		{contactSchema, `lifecycle ~ "le"`, `operator '~' does not apply to choice field 'lifecycle' at 1:11 — use =, !=, in, not in, is empty, is not empty`},
		{contactSchema, `company.custom.tier = "bronze"`, `"bronze" is not a value of 'company.custom.tier' at 1:23 — choose one of: gold, silver`},
		{contactSchema, `custom.vip = "yes"`, `cannot compare yes/no field 'custom.vip' with text "yes" at 1:14 — use true or false`},
		{contactSchema, `company = me()`, `cannot compare reference field 'company' with me() at 1:11 — use an id, like 1234`},
		{contactSchema, `owner = 0`, `invalid id 0 at 1:9 — ids are positive whole numbers`},
		{contactSchema, `owner = "bob"`, `invalid id "bob" at 1:9 — ids are positive whole numbers`},
		{contactSchema, `owner < 5`, `operator '<' does not apply to user field 'owner' at 1:7 — use =, !=, in, not in, is empty, is not empty`},
		{contactSchema, `created_at in (today)`, `operator 'in' does not apply to date-time field 'created_at' at 1:12 — use =, !=, <, <=, >, >=, is empty, is not empty`},
		{contactSchema, `custom.renewal > now`, `'now' is a moment, 'custom.renewal' is a date at 1:18 — use today`},
		{contactSchema, `custom.renewal > -6h`, `hours do not apply to date field 'custom.renewal' at 1:18 — use d, w, mo or y`},
		{contactSchema, `custom.renewal > 2026-01-31T10:00:00Z`, `cannot compare date field 'custom.renewal' with date-time 2026-01-31T10:00:00Z at 1:18 — use a date (2026-01-31), today, or a relative date (-30d, +2w)`},
		{contactSchema, `created_at > "2026-01-31"`, `cannot compare date-time field 'created_at' with text "2026-01-31" at 1:14 — use a date (2026-01-31), a date-time (2026-01-31T09:30:00Z), today, now, or a relative date (-30d, -6h)`},
		{contactSchema, `created_at > -1000000d`, `relative date -1000000d is out of range at 1:14`},
		{dealSchema, `value > 12.345`, `invalid amount 12.345 at 1:9 — amounts are in major units with at most 2 decimals, like 1250.50`},
		{dealSchema, `value > 99999999999999999999`, `invalid amount 99999999999999999999 at 1:9 — amounts are in major units with at most 2 decimals, like 1250.50`},
		{contactSchema, `custom.score > 1e999`, `invalid number "1e" at 1:16 — relative dates use the units h, d, w, mo and y`},
		{contactSchema, `custom.labels > "x"`, `operator '>' does not apply to tags field 'custom.labels' at 1:15 — use =, !=, ~, !~, in, not in, is empty, is not empty`},
	}
	for _, tt := range tests {
		_, err := New(tt.schema, tt.in)
		if err == nil || err.Error() != tt.want {
			t.Errorf("New(%q) error\n got %v\nwant %s", tt.in, err, tt.want)
		}
	}
}

func TestCheckAccepts(t *testing.T) {
	for _, in := range []string{
		`lifecycle in ("LEAD", "prospect") and company.size >= 50 and owner = me() and custom.region = "EMEA" and created_at > -30d`,
		`owner = "42" or owner in (1, 2, me()) or owner is empty`,
		`custom.score >= 2.5 and custom.vip != false and custom.renewal in (2026-01-31, today, +1mo)`,
		`custom.labels = "vip" and custom.labels ~ "gold" and custom.labels not in ("a", "b")`,
		`company = 123 and company.custom.tier = "Gold" and company.created_at <= 2026-01-31T00:00:00Z`,
	} {
		if _, err := New(contactSchema, in); err != nil {
			t.Errorf("New(%q): %v", in, err)
		}
	}
}

func TestFilterFields(t *testing.T) {
	f, err := New(contactSchema, `OWNER = me() and (Company.Size > 5 or owner != 3) and custom.REGION ~ "x"`)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := f.Fields(), []string{"owner", "company.size", "custom.region"}; !reflect.DeepEqual(got, want) {
		t.Errorf("Fields = %v, want %v", got, want)
	}
}

func TestInvalid(t *testing.T) {
	_, err := New(contactSchema, `ownr = 1`)
	err = Invalid(err, "filter")
	if crm.ErrorCode(err) != crm.Invalid {
		t.Fatalf("code = %v", crm.ErrorCode(err))
	}
	if got := crm.ErrorFields(err)["filter"]; got != `unknown field 'ownr' at 1:1 — did you mean 'owner'?` {
		t.Errorf("field message = %q", got)
	}
	other := errors.New("boom")
	if Invalid(other, "filter") != other {
		t.Error("Invalid changed a non-filter error")
	}
}

func TestSchemaValidate(t *testing.T) {
	bad := &Schema{Object: "x", Table: "x; DROP TABLE y", Fields: []Field{{Name: "a", Type: Text, Column: "a"}}}
	if _, err := New(bad, `a = "1"`); err == nil {
		t.Error("unsafe table name accepted")
	}
	bad = &Schema{Object: "x", Table: "x", Custom: []Field{{Name: "it's", Type: Text}}}
	if err := bad.Validate(); err == nil {
		t.Error("unsafe custom key accepted")
	}
	for _, s := range []*Schema{contactSchema, companySchema, dealSchema, itemSchema} {
		if err := s.Validate(); err != nil {
			t.Error(err)
		}
	}
}
