package importer

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"unicode"

	"github.com/tandemcrm/tandem/internal/crm"
	"github.com/tandemcrm/tandem/internal/records"
)

// Policy says what an import does with a row that matches an existing
// record, and with one that does not.
type Policy string

// The dedupe policies.
const (
	CreateOnly     Policy = "create" // matches are skipped
	UpdateOnly     Policy = "update" // rows without a match are skipped
	CreateOrUpdate Policy = "upsert" // matches are updated, the rest created
	CreateAll      Policy = ""       // no matching at all (only without a match key)
)

// Template is a saved mapping: which column goes to which field, how select
// values translate, and how duplicates are handled. It is plain JSON, kept
// in a file (tandem import --map) or in the database (import_templates).
type Template struct {
	Kind    string                       `json:"kind"`
	Columns []ColumnMap                  `json:"columns"`
	Values  map[string]map[string]string `json:"values,omitempty"` // field → value in the file → value to store
	Dedupe  Dedupe                       `json:"dedupe"`
	// NewFields are custom fields to create for unmapped columns (see
	// NewField); a dry run creates none and leaves their columns out.
	NewFields []NewField `json:"new_fields,omitempty"`
}

// ColumnMap maps one column, by its header, to a field key ("" ignores it).
type ColumnMap struct {
	Header string `json:"header"`
	Field  string `json:"field"`
}

// Dedupe is how rows are matched to existing records.
type Dedupe struct {
	Policy Policy `json:"policy"`
	Match  string `json:"match,omitempty"` // a field key: email, phone, external_id, domain, name; "" for none
}

// ReadTemplate decodes a template file.
func ReadTemplate(r io.Reader) (Template, error) {
	var t Template
	dec := json.NewDecoder(io.LimitReader(r, 1<<20))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&t); err != nil {
		return t, crm.Errorf(crm.Invalid, "The mapping template is not valid JSON: %v.", err)
	}
	return t, nil
}

// FieldSpec is a field a column can map to.
type FieldSpec struct {
	Key      string            `json:"key"`
	Label    string            `json:"label"`
	Synonyms []string          `json:"-"` // normalised headers that map here automatically
	Options  []string          `json:"options,omitempty"`
	Match    bool              `json:"match,omitempty"` // can be a dedupe key
	Custom   *records.FieldDef `json:"-"`
}

// norm reduces a header to lower-case letters and digits, so "E-mail
// Address", "email_address" and "EmailAddress" compare equal.
func norm(s string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(s) {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			b.WriteRune(r)
		}
	}
	return b.String()
}

// AutoMap maps each header to the field whose key, label or known synonym
// (the export headers of the usual CRMs and address books) it names. Each
// field takes at most one column, the first that names it. A field's own
// key or label comes before another's synonym: a workspace's custom field
// region takes a "Region" column, which would otherwise be the state.
func AutoMap(kind Kind, header []string, d Defs) Template {
	specs := kind.Fields(d)
	by := map[string]string{}
	add := func(s, key string) {
		if _, dup := by[s]; !dup && s != "" {
			by[s] = key
		}
	}
	for _, f := range specs {
		add(norm(f.Key), f.Key)
		add(norm(f.Label), f.Key)
		if f.Custom != nil {
			add(norm(f.Custom.Key), f.Key) // its key without "custom."
		}
	}
	for _, f := range specs {
		for _, s := range f.Synonyms {
			add(s, f.Key)
		}
	}
	t := Template{Kind: kind.Name(), Dedupe: kind.DefaultDedupe()}
	taken := map[string]bool{}
	for _, h := range header {
		f := by[norm(h)]
		if taken[f] {
			f = ""
		}
		if f != "" {
			taken[f] = true
		}
		t.Columns = append(t.Columns, ColumnMap{Header: h, Field: f})
	}
	kind.Adjust(&t, taken)
	return t
}

// Plan is a template resolved against one file's header: for each column,
// the field it fills.
type Plan struct {
	Template Template
	Fields   []string // per column index: field key, "" to ignore
	specs    map[string]FieldSpec
}

// Resolve checks t against kind's fields and the file's header. Columns the
// template names but the file lacks are an error (a wrong file or a wrong
// template); columns it does not name are ignored.
func Resolve(kind Kind, t Template, header []string, d Defs) (Plan, error) {
	p := Plan{Template: t, Fields: make([]string, len(header)), specs: map[string]FieldSpec{}}
	for _, f := range kind.Fields(d) {
		p.specs[f.Key] = f
	}
	fe := crm.FieldErrors{}
	if t.Kind != "" && t.Kind != kind.Name() {
		fe.Add("kind", fmt.Sprintf("This template is for %s, not %s.", t.Kind, kind.Name()))
	}
	col := map[string]int{}
	for i, h := range header {
		col[strings.ToLower(strings.TrimSpace(h))] = i
	}
	used := map[string]string{}
	for _, c := range t.Columns {
		if c.Field == "" {
			continue
		}
		if _, ok := p.specs[c.Field]; !ok {
			fe.Add("columns."+c.Header, unknownField(kind, c.Field, d))
			continue
		}
		i, ok := col[strings.ToLower(strings.TrimSpace(c.Header))]
		if !ok {
			fe.Add("columns."+c.Header, "The file has no column with this header.")
			continue
		}
		if prev, dup := used[c.Field]; dup {
			fe.Add("columns."+c.Header, fmt.Sprintf("Column %q is already mapped to %s.", prev, c.Field))
			continue
		}
		used[c.Field] = c.Header
		p.Fields[i] = c.Field
	}
	switch t.Dedupe.Policy {
	case CreateOnly, UpdateOnly, CreateOrUpdate:
		if t.Dedupe.Match == "" {
			fe.Add("dedupe.match", "Say which field finds existing records (for example email).")
		} else if s, ok := p.specs[t.Dedupe.Match]; !ok || !s.Match {
			fe.Add("dedupe.match", fmt.Sprintf("%s cannot match %s; use one of: %s.", t.Dedupe.Match, kind.Name(), strings.Join(matchKeys(kind, d), ", ")))
		} else if _, mapped := used[t.Dedupe.Match]; !mapped {
			fe.Add("dedupe.match", fmt.Sprintf("No column is mapped to %s, so rows cannot be matched by it.", t.Dedupe.Match))
		}
	case CreateAll:
		if t.Dedupe.Match != "" {
			fe.Add("dedupe.policy", "Say what to do with matches: create, update or upsert.")
		}
	default:
		fe.Add("dedupe.policy", "Use create, update or upsert.")
	}
	if len(used) == 0 {
		fe.Add("columns", "No column is mapped to a field.")
	}
	return p, fe.Err()
}

// unknownField says why a template's field is not one of kind's. A consent
// column names a purpose the workspace does not have (a template saved
// before the purpose was removed, or from another workspace): say which
// purposes there are, rather than only "no such field".
func unknownField(kind Kind, field string, d Defs) string {
	purpose, isConsent := strings.CutPrefix(field, "consent.")
	if !isConsent || kind.Name() != "contacts" {
		return fmt.Sprintf("There is no field %q for %s.", field, kind.Name())
	}
	var keys []string
	for _, p := range purposesOf(d) {
		keys = append(keys, p.Key)
	}
	return fmt.Sprintf("There is no consent purpose %q in this workspace; map the column to one of: %s (Settings → Consent lists them).",
		purpose, strings.Join(keys, ", "))
}

func matchKeys(kind Kind, d Defs) []string {
	var out []string
	for _, f := range kind.Fields(d) {
		if f.Match {
			out = append(out, f.Key)
		}
	}
	return out
}

// Values returns a row's mapped values by field key, with select values
// translated through the template (case-insensitively), and blank cells
// left out: an empty cell never overwrites stored data.
func (p Plan) Values(fields []string) map[string]string {
	out := make(map[string]string, len(p.Fields))
	for i, f := range p.Fields {
		if f == "" || i >= len(fields) {
			continue
		}
		v := unsafeCell(strings.TrimSpace(fields[i]))
		if v == "" {
			continue
		}
		if m := p.Template.Values[f]; m != nil {
			if to, ok := lookupFold(m, v); ok {
				v = to
			}
		}
		out[f] = v
	}
	return out
}

// Header is the file's header of the column mapped to field, "" if none.
func (p Plan) Header(field string) string {
	for _, c := range p.Template.Columns {
		if c.Field == field {
			return c.Header
		}
	}
	return ""
}

func lookupFold(m map[string]string, v string) (string, bool) {
	if to, ok := m[v]; ok {
		return to, true
	}
	for from, to := range m {
		if strings.EqualFold(strings.TrimSpace(from), v) {
			return to, true
		}
	}
	return "", false
}

// Spec returns the spec of a field key.
func (p Plan) Spec(key string) (FieldSpec, bool) { s, ok := p.specs[key]; return s, ok }
