package records

import (
	"github.com/tandemcrm/tandem/internal/consent"
	"github.com/tandemcrm/tandem/internal/filter"
)

// Lifecycles are the stages a person goes through, in order.
var Lifecycles = []string{"lead", "prospect", "qualified", "opportunity", "customer", "churned", "other"}

// builtinFieldNames are keys a custom field may not take.
var builtinFieldNames = map[string]map[string]bool{
	"contact": names(contactFields()),
	"company": names(companyFields()),
	"deal":    {"title": true, "value": true, "stage": true, "status": true, "owner": true},
}

func names(fs []filter.Field) map[string]bool {
	m := map[string]bool{"id": true, "custom": true}
	for _, f := range fs {
		m[f.Name] = true
	}
	return m
}

func contactFields() []filter.Field {
	return []filter.Field{
		{Name: "id", Type: filter.Ref, Column: "id"},
		{Name: "name", Type: filter.Text, SQL: "({t}.first_name || ' ' || {t}.last_name)"},
		{Name: "first_name", Type: filter.Text, Column: "first_name"},
		{Name: "last_name", Type: filter.Text, Column: "last_name"},
		{Name: "email", Type: filter.Text, Column: "email"},
		{Name: "phone", Type: filter.Text, Column: "phone"},
		{Name: "title", Type: filter.Text, Column: "title"},
		{Name: "source", Type: filter.Text, Column: "source"},
		{Name: "lifecycle", Type: filter.Enum, Column: "lifecycle", Values: Lifecycles},
		{Name: "owner", Type: filter.User, Column: "owner_id"},
		{Name: "company_id", Type: filter.Ref, Column: "company_id"},
		{Name: "tags", Type: filter.Tags, Column: "tags"},
		{Name: "created_at", Type: filter.DateTime, Column: "created_at"},
		{Name: "updated_at", Type: filter.DateTime, Column: "updated_at"},
	}
}

func companyFields() []filter.Field {
	return []filter.Field{
		{Name: "id", Type: filter.Ref, Column: "id"},
		{Name: "name", Type: filter.Text, Column: "name"},
		{Name: "domain", Type: filter.Text, Column: "domain"},
		{Name: "industry", Type: filter.Text, Column: "industry"},
		{Name: "size", Type: filter.Number, Column: "size"},
		{Name: "phone", Type: filter.Text, Column: "phone"},
		{Name: "owner", Type: filter.User, Column: "owner_id"},
		{Name: "parent_id", Type: filter.Ref, Column: "parent_id"},
		{Name: "tags", Type: filter.Tags, Column: "tags"},
		{Name: "created_at", Type: filter.DateTime, Column: "created_at"},
		{Name: "updated_at", Type: filter.DateTime, Column: "updated_at"},
	}
}

func customFilterFields(defs []FieldDef) []filter.Field {
	var out []filter.Field
	for _, d := range defs {
		out = append(out, d.filterField())
	}
	return out
}

// CompanySchema is what filters on companies may say; alias is the table
// alias of the query the fragment goes into.
func CompanySchema(alias string, custom []FieldDef) *filter.Schema {
	return &filter.Schema{Object: "company", Table: "companies", Alias: alias, Fields: companyFields(),
		Custom: customFilterFields(custom)}
}

// ContactSchema is what filters on contacts may say, including one level
// into the contact's company (company.size >= 50) and, given the
// workspace's consent purposes, the current consent
// (consent.marketing_email = granted).
func ContactSchema(alias string, custom, companyCustom []FieldDef, consentPurposes ...string) *filter.Schema {
	s := &filter.Schema{Object: "contact", Table: "contacts", Alias: alias, Fields: contactFields(),
		Custom: customFilterFields(custom),
		Relations: []filter.Relation{{Name: "company", LocalKey: "company_id",
			Target: CompanySchema("", companyCustom)}}}
	if len(consentPurposes) > 0 {
		s.Relations = append(s.Relations, consent.FilterRelation(consentPurposes))
	}
	return s
}
