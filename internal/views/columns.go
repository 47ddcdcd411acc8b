package views

import (
	"slices"
	"strings"

	"github.com/tandemcrm/tandem/internal/records"
)

// Column is one column a list can show.
type Column struct {
	Key    string // "email", "company", "custom.region"
	Label  string
	Sort   string // the ListQuery sort key, "" when not sortable
	Field  *records.FieldDef
	Number bool // right-aligned
}

var contactColumns = []Column{
	{Key: "name", Label: "Name", Sort: "first_name"},
	{Key: "email", Label: "Email", Sort: "email"},
	{Key: "phone", Label: "Phone"},
	{Key: "title", Label: "Title", Sort: "title"},
	{Key: "company", Label: "Company"},
	{Key: "lifecycle", Label: "Lifecycle", Sort: "lifecycle"},
	{Key: "owner", Label: "Owner", Sort: "owner"},
	{Key: "source", Label: "Source"},
	{Key: "street", Label: "Street"},
	{Key: "city", Label: "City", Sort: "city"},
	{Key: "state", Label: "State"},
	{Key: "postal_code", Label: "Postal code"},
	{Key: "country", Label: "Country", Sort: "country"},
	{Key: "time_zone", Label: "Time zone"},
	{Key: "tags", Label: "Tags"},
	{Key: "created_at", Label: "Added", Sort: "created_at"},
	{Key: "updated_at", Label: "Updated", Sort: "updated_at"},
}

var companyColumns = []Column{
	{Key: "name", Label: "Name", Sort: "name"},
	{Key: "domain", Label: "Domain", Sort: "domain"},
	{Key: "industry", Label: "Industry", Sort: "industry"},
	{Key: "size", Label: "Size", Sort: "size", Number: true},
	{Key: "phone", Label: "Phone"},
	{Key: "street", Label: "Street"},
	{Key: "city", Label: "City", Sort: "city"},
	{Key: "state", Label: "State"},
	{Key: "postal_code", Label: "Postal code"},
	{Key: "country", Label: "Country", Sort: "country"},
	{Key: "owner", Label: "Owner", Sort: "owner"},
	{Key: "tags", Label: "Tags"},
	{Key: "created_at", Label: "Added", Sort: "created_at"},
	{Key: "updated_at", Label: "Updated", Sort: "updated_at"},
}

// dealColumns are what a deal view can show: a list's columns, or on the
// board the fields of each card (beyond the title and value, which every
// card shows; stage and status say nothing on a board of open deals by
// stage).
var dealColumns = []Column{
	{Key: "title", Label: "Deal", Sort: "title"},
	{Key: "value", Label: "Value", Sort: "value", Number: true},
	{Key: "stage", Label: "Stage"},
	{Key: "status", Label: "Status", Sort: "status"},
	{Key: "company", Label: "Company"},
	{Key: "contact", Label: "Contact"},
	{Key: "owner", Label: "Owner"},
	{Key: "expected_close", Label: "Close", Sort: "expected_close"},
	{Key: "source", Label: "Source"},
	{Key: "priority", Label: "Priority"},
	{Key: "tags", Label: "Tags"},
	{Key: "stage_entered_at", Label: "In stage", Sort: "stage_entered_at"},
	{Key: "created_at", Label: "Added", Sort: "created_at"},
	{Key: "updated_at", Label: "Updated", Sort: "updated_at"},
}

// DefaultColumns are shown when a list or view names none.
var DefaultColumns = map[string][]string{
	"contact": {"name", "email", "company", "lifecycle", "owner", "created_at"},
	"company": {"name", "domain", "industry", "size", "owner", "created_at"},
	"deal":    {"title", "value", "stage", "status", "company", "owner", "expected_close"},
}

// firstColumn is the column every list of the object starts with.
var firstColumn = map[string]string{"contact": "name", "company": "name", "deal": "title"}

// Columns lists every column of object: the built-in ones, then one per
// live custom field (defs: the object's field definitions).
func Columns(object string, defs []records.FieldDef) []Column {
	var out []Column
	switch object {
	case "contact":
		out = slices.Clone(contactColumns)
	case "company":
		out = slices.Clone(companyColumns)
	case "deal":
		out = slices.Clone(dealColumns)
	}
	for i := range defs {
		d := defs[i]
		if !d.RetiredAt.IsZero() {
			continue
		}
		out = append(out, Column{Key: "custom." + d.Key, Label: d.Label, Field: &d,
			Number: d.Type == records.FieldNumber || d.Type == records.FieldCurrency})
	}
	return out
}

// Pick returns the columns named in keys, in that order, dropping unknown
// ones; no keys gives the defaults. The object's first column ("name",
// or a deal's "title") always comes first.
func Pick(object string, all []Column, keys []string) []Column {
	by := map[string]Column{}
	for _, c := range all {
		by[c.Key] = c
	}
	var out []Column
	seen := map[string]bool{}
	add := func(k string) {
		if c, ok := by[k]; ok && !seen[k] {
			seen[k] = true
			out = append(out, c)
		}
	}
	if len(keys) == 0 {
		keys = DefaultColumns[object]
	}
	add(firstColumn[object])
	for _, k := range keys {
		add(strings.TrimSpace(k))
	}
	return out
}

// ParseColumns splits "name,email,custom.region".
func ParseColumns(s string) []string {
	var out []string
	for _, k := range strings.Split(s, ",") {
		if k = strings.TrimSpace(k); k != "" {
			out = append(out, k)
		}
	}
	return out
}
