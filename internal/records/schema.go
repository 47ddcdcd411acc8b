package records

import (
	"github.com/tandemcrm/tandem/internal/consent"
	"github.com/tandemcrm/tandem/internal/filter"
	"github.com/tandemcrm/tandem/internal/store"
)

// Lifecycles are the stages a person goes through, in order.
var Lifecycles = []string{"lead", "prospect", "qualified", "opportunity", "customer", "churned", "other"}

// builtinFieldNames are keys a custom field may not take.
var builtinFieldNames = map[string]map[string]bool{
	"contact": names(contactFields()),
	"company": names(companyFields()),
	"deal": {"title": true, "value": true, "stage": true, "status": true, "owner": true, "currency": true, "pipeline": true,
		"stage_id": true, "pipeline_id": true, "probability": true, "weighted_value": true, "rotting": true, "lost_reason": true,
		"expected_close": true, "contact_id": true, "company_id": true, "source": true, "priority": true, "tags": true,
		"closed_at": true, "stage_entered_at": true, "created_at": true, "updated_at": true, "id": true, "custom": true,
		"company": true, "contact": true},
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
		{Name: "street", Type: filter.Text, Column: "street"},
		{Name: "city", Type: filter.Text, Column: "city"},
		{Name: "state", Type: filter.Text, Column: "state"},
		{Name: "postal_code", Type: filter.Text, Column: "postal_code"},
		{Name: "country", Type: filter.Text, Column: "country"},
		{Name: "time_zone", Type: filter.Text, Column: "time_zone"},
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
		{Name: "domains", Type: filter.Tags, SQL: domainsSQLite},
		{Name: "industry", Type: filter.Text, Column: "industry"},
		{Name: "size", Type: filter.Number, Column: "size"},
		{Name: "phone", Type: filter.Text, Column: "phone"},
		{Name: "street", Type: filter.Text, Column: "street"},
		{Name: "city", Type: filter.Text, Column: "city"},
		{Name: "state", Type: filter.Text, Column: "state"},
		{Name: "postal_code", Type: filter.Text, Column: "postal_code"},
		{Name: "country", Type: filter.Text, Column: "country"},
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

// A company's domains for the filter language, as a JSON array: the primary
// (companies.domain, when set) and the others (company_domains), so that
// `domains = "acme.de"` finds a company by any of its domains. The two
// dialects spell JSON differently; the schema carries SQLite's form and
// forDialect swaps in PostgreSQL's.
const (
	domainsOthersSQLite = `(SELECT json_group_array(d.domain) FROM company_domains d
		WHERE d.workspace_id = {t}.workspace_id AND d.company_id = {t}.id)`
	domainsSQLite = `CASE WHEN {t}.domain = '' THEN ` + domainsOthersSQLite + `
		ELSE json_insert(` + domainsOthersSQLite + `, '$[#]', {t}.domain) END`
	domainsPostgres = `(CASE WHEN {t}.domain = '' THEN '[]'::jsonb ELSE jsonb_build_array({t}.domain) END) ||
		(SELECT COALESCE(jsonb_agg(d.domain), '[]'::jsonb) FROM company_domains d
		WHERE d.workspace_id = {t}.workspace_id AND d.company_id = {t}.id)`
)

// forDialect returns s with the dialect-specific expressions of dialect d.
func forDialect(s *filter.Schema, d store.Dialect) *filter.Schema {
	if d != store.Postgres {
		return s
	}
	out := *s
	out.Fields = append([]filter.Field(nil), s.Fields...)
	for i := range out.Fields {
		if out.Fields[i].SQL == domainsSQLite {
			out.Fields[i].SQL = domainsPostgres
		}
	}
	out.Relations = append([]filter.Relation(nil), s.Relations...)
	for i := range out.Relations {
		out.Relations[i].Target = forDialect(out.Relations[i].Target, d)
	}
	return &out
}
