package view

import (
	"net/url"
	"strings"
)

// BulkConfirm asks before a bulk change: what will happen to how many.
type BulkConfirm struct {
	IDs                  []string
	Action, Field, Value string
	Question             string
}

// ClearURL is the list without its filter (keeping view, sort, columns).
func (v ListView) ClearURL() string {
	q := url.Values{}
	if v.View != nil {
		q.Set("view", v.View.ID)
		q.Set("filter", "")
	}
	if v.Sort != "" {
		q.Set("sort", v.Sort)
	}
	if v.ColumnsKey != "" {
		q.Set("columns", v.ColumnsKey)
	}
	if len(q) == 0 {
		return v.Path
	}
	return v.Path + "?" + q.Encode()
}

func hasErrors(form any) bool {
	switch f := form.(type) {
	case CompanyForm:
		return len(f.Errors) > 0
	case ContactForm:
		return len(f.Errors) > 0
	}
	return false
}

func textOps() []string {
	return []string{"~", "=", "!=", "!~", "in", "not in", "is empty", "is not empty"}
}

var opLabels = map[string]string{"=": "is", "!=": "is not", "~": "contains", "!~": "does not contain",
	"<": "less than", "<=": "at most", ">": "more than", ">=": "at least", "in": "is any of", "not in": "is none of",
	"is empty": "is empty", "is not empty": "is not empty"}

func opLabel(op string) string {
	if l := opLabels[op]; l != "" {
		return l
	}
	return op
}

func valueHint(typ string) string {
	switch typ {
	case "date":
		return "2026-01-31, today, -30d"
	case "datetime":
		return "-7d, today, 2026-01-31"
	case "user":
		return "me()"
	case "number", "money":
		return "0"
	case "bool":
		return "true or false"
	}
	return "value"
}

func joinTags(t []string) string { return strings.Join(t, ", ") }

func ariaSort(dir string) string {
	switch dir {
	case "asc":
		return "ascending"
	case "desc":
		return "descending"
	}
	return "none"
}

func sortArrow(dir string) string {
	switch dir {
	case "asc":
		return "↑"
	case "desc":
		return "↓"
	}
	return ""
}

func backLabel(object string) string {
	if object == "company" {
		return "Companies"
	}
	return "Contacts"
}

// factID makes a field key safe for an element id: custom.region → custom-region.
func factID(key string) string { return strings.ReplaceAll(key, ".", "-") }

// filterExample is the filter box's placeholder: an expression that works
// on the list's object.
func filterExample(object string) string {
	if object == "company" {
		return `Filter, e.g. industry = "Software" and size >= 50`
	}
	return `Filter, e.g. lifecycle = "lead" and owner = me()`
}
