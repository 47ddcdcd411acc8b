package filter

import (
	"fmt"
	"strings"
)

// Type is the type of a field, which decides the operators and values it
// accepts and how it is read from SQL.
type Type int

// The field types.
const (
	Text     Type = iota // TEXT; compared ignoring ASCII case
	Number               // INTEGER or REAL
	Money                // INTEGER minor units; literals are in major units
	Date                 // TEXT 'YYYY-MM-DD'; '' is empty
	DateTime             // BIGINT Unix microseconds; 0 is empty
	Bool                 // BOOLEAN (INTEGER 0/1 in SQLite)
	Ref                  // BIGINT id of another record; 0 is empty
	User                 // BIGINT id of a user; 0 is empty; accepts me()
	Enum                 // TEXT, one of Field.Values, compared exactly
	Tags                 // JSON array of strings (JSONB in PostgreSQL)
)

var typeNames = [...]string{"text", "number", "money", "date", "date-time", "yes/no", "reference", "user", "choice", "tags"}

func (t Type) String() string { return typeNames[t] }

// Field describes one filterable field of an object.
type Field struct {
	Name string // as users write it: "owner", "size"
	Type Type
	// Column is the column the field lives in, qualified with the table alias
	// by the compiler. For a custom field it is ignored: the key is Name.
	Column string
	// SQL, when set, replaces Column with an expression; "{t}" stands for the
	// table alias. It comes from code, never from users.
	SQL    string
	Values []string // the allowed values of an Enum
	Scale  int      // decimals of a Money field's major unit; 0 means 2
}

// Relation lets a filter reach one level into a related object, e.g.
// company.size on contacts: Schema.Alias.LocalKey = Target.Table.RemoteKey,
// in the same workspace. A record matches when any related record does.
type Relation struct {
	Name      string // "company"
	Target    *Schema
	LocalKey  string // "company_id"
	RemoteKey string // "" means "id"
}

// Schema describes an object for the filter language. It is data: each
// object (contacts, companies, deals…) declares its own.
type Schema struct {
	Object string // "contact", for messages
	Table  string // "contacts"
	// Alias qualifies columns in the fragment; "" means Table. Set it when the
	// caller's query names the table differently (FROM contacts c).
	Alias           string
	WorkspaceColumn string // "" means "workspace_id"
	CustomColumn    string // the JSON column of custom fields; "" means "custom"
	Fields          []Field
	Custom          []Field // custom fields; Name is the JSON key
	Relations       []Relation
}

func (s *Schema) alias() string {
	if s.Alias != "" {
		return s.Alias
	}
	return s.Table
}

func (s *Schema) workspaceColumn() string {
	if s.WorkspaceColumn != "" {
		return s.WorkspaceColumn
	}
	return "workspace_id"
}

func (s *Schema) customColumn() string {
	if s.CustomColumn != "" {
		return s.CustomColumn
	}
	return "custom"
}

// binding is a field name resolved against a schema.
type binding struct {
	name   string    // canonical: "company.custom.tier"
	field  *Field    // the field
	custom bool      // field is a custom field
	rel    *Relation // set for related fields
}

// lookup resolves a dotted name; ok is false when nothing matches.
func (s *Schema) lookup(name string) (binding, bool) {
	head, rest, dotted := strings.Cut(name, ".")
	if !dotted {
		f := findField(s.Fields, head)
		return binding{name: fieldName(f), field: f}, f != nil
	}
	if strings.EqualFold(head, "custom") {
		f := findField(s.Custom, rest)
		return binding{name: "custom." + fieldName(f), field: f, custom: true}, f != nil
	}
	for i := range s.Relations {
		r := &s.Relations[i]
		if !strings.EqualFold(r.Name, head) || strings.Contains(rest, ".") && !strings.HasPrefix(rest, "custom.") {
			continue
		}
		b, ok := r.Target.lookup(rest)
		if !ok {
			return binding{}, false
		}
		b.name, b.rel = r.Name+"."+b.name, r
		return b, true
	}
	return binding{}, false
}

func findField(fs []Field, name string) *Field {
	for i := range fs {
		if strings.EqualFold(fs[i].Name, name) {
			return &fs[i]
		}
	}
	return nil
}

func fieldName(f *Field) string {
	if f == nil {
		return ""
	}
	return f.Name
}

// names lists every name a filter on s may use, for suggestions.
func (s *Schema) names(withRelations bool) []string {
	var out []string
	for _, f := range s.Fields {
		out = append(out, f.Name)
	}
	for _, f := range s.Custom {
		out = append(out, "custom."+f.Name)
	}
	if withRelations {
		for _, r := range s.Relations {
			for _, n := range r.Target.names(false) {
				out = append(out, r.Name+"."+n)
			}
		}
	}
	return out
}

// Validate reports a schema that could produce unsafe or broken SQL. Names
// reach SQL text verbatim, so they must be plain identifiers.
func (s *Schema) Validate() error {
	ids := []string{s.Table, s.alias(), s.workspaceColumn(), s.customColumn()}
	for _, f := range s.Fields {
		if f.SQL == "" {
			ids = append(ids, f.Column)
		}
	}
	for _, f := range append(append([]Field{}, s.Fields...), s.Custom...) {
		ids = append(ids, f.Name)
		if f.Type == Enum && (len(f.Values) == 0 || contains(f.Values, "")) {
			return fmt.Errorf("filter: schema %s: enum field %s needs non-empty values", s.Object, f.Name)
		}
	}
	for _, r := range s.Relations {
		if r.Target == nil {
			return fmt.Errorf("filter: schema %s: relation %s has no target", s.Object, r.Name)
		}
		ids = append(ids, r.Name, r.LocalKey)
		if r.RemoteKey != "" {
			ids = append(ids, r.RemoteKey)
		}
		if err := r.Target.Validate(); err != nil {
			return err
		}
	}
	for _, id := range ids {
		if !isIdent(id) {
			return fmt.Errorf("filter: schema %s: %q is not a plain identifier", s.Object, id)
		}
	}
	return nil
}

func isIdent(s string) bool {
	if s == "" || !isIdentStart(s[0]) {
		return false
	}
	for i := 1; i < len(s); i++ {
		if !isIdentPart(s[i]) {
			return false
		}
	}
	return true
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}
