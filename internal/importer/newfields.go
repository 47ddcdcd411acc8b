package importer

import (
	"fmt"
	"strings"

	"github.com/tandemcrm/tandem/internal/crm"
	"github.com/tandemcrm/tandem/internal/records"
	"github.com/tandemcrm/tandem/internal/store"
)

// NewField asks an import to create a custom field for a column that maps
// to nothing, and to fill it from that column.
type NewField struct {
	Header  string   `json:"header"`
	Label   string   `json:"label,omitempty"` // default: the header
	Type    string   `json:"type,omitempty"`  // a custom field type; default text
	Options []string `json:"options,omitempty"`
}

// createFields makes the custom fields t asks for (as the fields settings
// page would, so only admins and owners may) and maps their columns to
// them; a field whose key exists already is reused when its type agrees.
// The template keeps the mapping and forgets the request, so a resumed
// import does not ask again.
func createFields(tx *store.Tx, p crm.Principal, kind Kind, t *Template) error {
	if len(t.NewFields) == 0 {
		return nil
	}
	switch kind.Name() {
	case "contacts", "companies", "deals":
	default:
		return (crm.FieldErrors{"new_fields": fmt.Sprintf("%s have no custom fields.", kind.Name())}).Err()
	}
	defs, err := records.ListFields(tx, p.WorkspaceID, kind.Object(), false)
	if err != nil {
		return err
	}
	for _, nf := range t.NewFields {
		label := strings.TrimSpace(nf.Label)
		if label == "" {
			label = strings.TrimSpace(nf.Header)
		}
		typ := records.FieldType(nf.Type)
		if typ == "" {
			typ = records.FieldText
		}
		key := records.KeyFromLabel(label)
		var def *records.FieldDef
		for i := range defs {
			if defs[i].Key == key && defs[i].RetiredAt.IsZero() {
				def = &defs[i]
			}
		}
		if def != nil && def.Type != typ {
			return (crm.FieldErrors{"new_fields." + nf.Header: fmt.Sprintf("A %s field %q exists already; map the column to it.", def.Type, def.Label)}).Err()
		}
		if def == nil {
			opts := nf.Options
			d, err := records.CreateField(tx, p, records.FieldInput{Object: kind.Object(), Key: key, Label: &label, Type: typ, Options: &opts})
			if fe := crm.ErrorFields(err); fe != nil {
				for f, msg := range fe {
					return (crm.FieldErrors{"new_fields." + nf.Header: f + ": " + msg}).Err()
				}
			}
			if err != nil {
				return err
			}
			def = &d
		}
		mapped := false
		for i := range t.Columns {
			if strings.EqualFold(strings.TrimSpace(t.Columns[i].Header), strings.TrimSpace(nf.Header)) {
				t.Columns[i].Field, mapped = "custom."+def.Key, true
			}
		}
		if !mapped {
			t.Columns = append(t.Columns, ColumnMap{Header: nf.Header, Field: "custom." + def.Key})
		}
	}
	t.NewFields = nil
	return nil
}

// ValuesField is the field whose values a kind's files most often need
// translated (the mapping page's plain "from = to" lines).
func ValuesField(kind string) string {
	return map[string]string{"contacts": "lifecycle", "deals": "stage", "activities": "type", "products": "active"}[kind]
}

// ParseValueLines reads value mappings, one per line: "from = to" for the
// kind's ValuesField, "field: from = to" for any other field (its key or
// label; custom fields and consent purposes by key, e.g.
// "custom.region: Europe = EMEA", "consent.webinars: Ja = granted").
func ParseValueLines(kind Kind, text string) map[string]map[string]string {
	var out map[string]map[string]string
	specs := kind.Fields(Defs{})
	for _, line := range strings.Split(text, "\n") {
		field := ValuesField(kind.Name())
		if pre, rest, ok := strings.Cut(line, ":"); ok && strings.Contains(rest, "=") {
			for _, s := range specs {
				if norm(pre) != "" && (norm(pre) == norm(s.Key) || norm(pre) == norm(s.Label)) {
					field, line = s.Key, rest
				}
			}
			// Custom fields and consent purposes by key: the workspace's
			// own are not among specs.
			if k := strings.TrimSpace(pre); strings.HasPrefix(k, "custom.") || strings.HasPrefix(k, "consent.") {
				field, line = strings.TrimSpace(pre), rest
			}
		}
		from, to, ok := strings.Cut(line, "=")
		if from, to = strings.TrimSpace(from), strings.TrimSpace(to); ok && from != "" && to != "" && field != "" {
			if out == nil {
				out = map[string]map[string]string{}
			}
			if out[field] == nil {
				out[field] = map[string]string{}
			}
			out[field][from] = to
		}
	}
	return out
}
