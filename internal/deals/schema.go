package deals

import (
	"strconv"
	"time"

	"github.com/tandemcrm/tandem/internal/filter"
	"github.com/tandemcrm/tandem/internal/records"
	"github.com/tandemcrm/tandem/internal/store"
)

// Schema is what filters on deals may say, with one level into the deal's
// company and primary contact (company.industry = "Retail"). now fixes the
// moment "rotting" is judged at; it travels as a number written by code,
// never by users.
func Schema(alias string, now time.Time, custom, contactCustom, companyCustom []records.FieldDef) *filter.Schema {
	return &filter.Schema{Object: "deal", Table: "deals", Alias: alias, Fields: Fields(now),
		Custom: records.FilterFields(custom),
		Relations: []filter.Relation{
			{Name: "company", LocalKey: "company_id", Target: records.CompanySchema("", companyCustom)},
			{Name: "contact", LocalKey: "contact_id", Target: records.ContactSchema("", contactCustom, companyCustom)},
		}}
}

// Fields are the built-in filterable fields of deals.
func Fields(now time.Time) []filter.Field {
	stage := func(col string) string {
		return `(SELECT st.` + col + ` FROM stages st WHERE st.workspace_id = {t}.workspace_id AND st.id = {t}.stage_id)`
	}
	nowUS := strconv.FormatInt(store.Micros(now), 10)
	return []filter.Field{
		{Name: "id", Type: filter.Ref, Column: "id"},
		{Name: "title", Type: filter.Text, Column: "title"},
		{Name: "value", Type: filter.Money, Column: "value"},
		{Name: "currency", Type: filter.Text, Column: "currency"},
		{Name: "stage", Type: filter.Text, SQL: "COALESCE(" + stage("name") + ", '')"},
		{Name: "stage_id", Type: filter.Ref, Column: "stage_id"},
		{Name: "pipeline", Type: filter.Text, SQL: `COALESCE((SELECT pl.name FROM pipelines pl
			WHERE pl.workspace_id = {t}.workspace_id AND pl.id = {t}.pipeline_id), '')`},
		{Name: "pipeline_id", Type: filter.Ref, Column: "pipeline_id"},
		{Name: "probability", Type: filter.Number, SQL: `CASE {t}.status WHEN 'won' THEN 100 WHEN 'lost' THEN 0
			ELSE COALESCE(` + stage("probability") + `, 0) END`},
		{Name: "rotting", Type: filter.Bool, SQL: `CASE WHEN {t}.status = 'open' AND EXISTS (SELECT 1 FROM stages rs
			WHERE rs.workspace_id = {t}.workspace_id AND rs.id = {t}.stage_id AND rs.rot_days > 0
			AND {t}.stage_entered_at < ` + nowUS + ` - rs.rot_days * 86400000000) THEN TRUE ELSE FALSE END`},
		{Name: "status", Type: filter.Enum, Column: "status", Values: []string{Open, Won, Lost}},
		{Name: "lost_reason", Type: filter.Text, Column: "lost_reason"},
		{Name: "expected_close", Type: filter.Date, Column: "expected_close"},
		{Name: "owner", Type: filter.User, Column: "owner_id"},
		{Name: "contact_id", Type: filter.Ref, Column: "contact_id"},
		{Name: "company_id", Type: filter.Ref, Column: "company_id"},
		{Name: "source", Type: filter.Text, Column: "source"},
		{Name: "priority", Type: filter.Text, Column: "priority"},
		{Name: "tags", Type: filter.Tags, Column: "tags"},
		{Name: "stage_entered_at", Type: filter.DateTime, Column: "stage_entered_at"},
		{Name: "closed_at", Type: filter.DateTime, SQL: "COALESCE({t}.closed_at, 0)"},
		{Name: "created_at", Type: filter.DateTime, Column: "created_at"},
		{Name: "updated_at", Type: filter.DateTime, Column: "updated_at"},
	}
}
