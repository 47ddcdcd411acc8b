package ui

import (
	"encoding/json"
	"strings"

	"github.com/tandemcrm/tandem/internal/filter"
	"github.com/tandemcrm/tandem/internal/records"
	"github.com/tandemcrm/tandem/internal/web/view"
)

// builderOps are the operators the filter builder offers per field type
// (the filter language accepts these; docs/FILTERS.md).
var builderOps = map[string][]string{
	"text":     {"~", "=", "!=", "!~", "in", "not in", "is empty", "is not empty"},
	"number":   {"=", "!=", "<", "<=", ">", ">=", "in", "not in", "is empty", "is not empty"},
	"money":    {"=", "!=", "<", "<=", ">", ">=", "is empty", "is not empty"},
	"date":     {"=", "!=", "<", "<=", ">", ">=", "is empty", "is not empty"},
	"datetime": {">=", "<=", ">", "<", "=", "is empty", "is not empty"},
	"bool":     {"=", "!=", "is empty", "is not empty"},
	"ref":      {"=", "!=", "in", "not in", "is empty", "is not empty"},
	"user":     {"=", "!=", "in", "not in", "is empty", "is not empty"},
	"enum":     {"=", "!=", "in", "not in", "is empty", "is not empty"},
	"tags":     {"=", "!=", "~", "!~", "in", "not in", "is empty", "is not empty"},
}

var builderOpsJSON = func() string { b, _ := json.Marshal(builderOps); return string(b) }()

var typeKeys = map[filter.Type]string{filter.Text: "text", filter.Number: "number", filter.Money: "money",
	filter.Date: "date", filter.DateTime: "datetime", filter.Bool: "bool", filter.Ref: "ref", filter.User: "user",
	filter.Enum: "enum", filter.Tags: "tags"}

// builderFields lists what the builder offers: the object's fields, its
// custom fields, and (for contacts) the company's.
func builderFields(s *filter.Schema, defs map[string][]records.FieldDef) []view.BuilderField {
	var out []view.BuilderField
	add := func(prefix, group string, sch *filter.Schema, object string) {
		for _, f := range sch.Fields {
			if f.Name == "id" {
				continue
			}
			out = append(out, builderField(prefix+f.Name, humanize(f.Name), group, f))
		}
		labels := map[string]string{}
		for _, d := range defs[object] {
			labels[d.Key] = d.Label
		}
		for _, f := range sch.Custom {
			out = append(out, builderField(prefix+"custom."+f.Name, labels[f.Name], group, f))
		}
	}
	add("", "", s, s.Object)
	for _, rel := range s.Relations {
		add(rel.Name+".", humanize(rel.Name), rel.Target, rel.Target.Object)
	}
	return out
}

func builderField(name, label, group string, f filter.Field) view.BuilderField {
	bf := view.BuilderField{Name: name, Label: label, Type: typeKeys[f.Type], Group: group}
	if label == "" {
		bf.Label = name
	}
	if len(f.Values) > 0 {
		b, _ := json.Marshal(f.Values)
		bf.ValuesJSON = string(b)
	}
	return bf
}

func humanize(name string) string {
	switch name {
	case "created_at":
		return "Added"
	case "updated_at":
		return "Updated"
	case "company_id":
		return "Company (id)"
	case "parent_id":
		return "Parent company (id)"
	}
	s := strings.ReplaceAll(name, "_", " ")
	return strings.ToUpper(s[:1]) + s[1:]
}

// builderFor rebuilds the builder's rows from a filter: a single condition
// or conditions joined by "and", on fields the builder offers. Anything
// else (or, not, parentheses) is shown as text only.
func builderFor(expr string, fields []view.BuilderField) view.Builder {
	b := view.Builder{Fields: fields, OpsJSON: builderOpsJSON}
	if strings.TrimSpace(expr) == "" {
		return b
	}
	e, err := filter.Parse(expr)
	if err != nil {
		b.Complex = true
		return b
	}
	var conds []*filter.Cond
	switch x := e.(type) {
	case *filter.Cond:
		conds = []*filter.Cond{x}
	case *filter.And:
		for _, t := range x.Terms {
			c, ok := t.(*filter.Cond)
			if !ok {
				b.Complex = true
				return b
			}
			conds = append(conds, c)
		}
	default:
		b.Complex = true
		return b
	}
	byName := map[string]view.BuilderField{}
	for _, f := range fields {
		byName[f.Name] = f
	}
	for _, c := range conds {
		f, ok := byName[c.Field.Name]
		if !ok {
			b.Complex = true
			return b
		}
		row := view.BuilderRow{Field: f.Name, Op: c.Op.String(), Type: f.Type, Ops: builderOps[f.Type]}
		if !contains(row.Ops, row.Op) {
			b.Complex = true
			return b
		}
		var vals []string
		for _, v := range c.Values {
			if v.Kind == filter.LitString {
				vals = append(vals, v.Text)
			} else {
				vals = append(vals, v.String())
			}
		}
		row.Value = strings.Join(vals, ", ")
		if f.ValuesJSON != "" {
			_ = json.Unmarshal([]byte(f.ValuesJSON), &row.Values)
		}
		b.Rows = append(b.Rows, row)
	}
	return b
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
