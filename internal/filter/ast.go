package filter

import (
	"strconv"
	"strings"
)

// Expr is a node of a parsed filter. String prints it in canonical form:
// parsing that text again yields an equal tree, so the UI's filter builder can
// write expressions and read them back.
type Expr interface {
	Pos() Pos
	String() string
	expr()
}

// And holds two or more terms that must all hold. Nested Ands are flattened
// by the parser, so a tree has one shape however it was parenthesised.
type And struct{ Terms []Expr }

// Or holds two or more alternatives, flattened like And.
type Or struct{ Terms []Expr }

// Not negates X.
type Not struct {
	At Pos
	X  Expr
}

// Cond is one condition on one field: `field op value`, `field in (…)` or
// `field is empty`.
type Cond struct {
	Field  FieldRef
	Op     Op
	OpAt   Pos
	Values []Value // one for comparisons, one or more for in, none for empty
}

// FieldRef names a field as written, lower-cased: "owner", "custom.region",
// "company.size", "company.custom.tier".
type FieldRef struct {
	At   Pos
	Name string
}

// Op is a condition's operator.
type Op int

// The operators, in the order the docs list them.
const (
	Eq Op = iota
	Ne
	Lt
	Le
	Gt
	Ge
	Contains
	NotContains
	In
	NotIn
	IsEmpty
	IsNotEmpty
)

var opText = [...]string{"=", "!=", "<", "<=", ">", ">=", "~", "!~", "in", "not in", "is empty", "is not empty"}

func (o Op) String() string { return opText[o] }

// ValueKind says which kind of literal a Value is.
type ValueKind int

// The literal kinds.
const (
	LitString   ValueKind = iota // "text"
	LitNumber                    // 42, -3.5
	LitBool                      // true, false
	LitDate                      // 2026-01-31
	LitDateTime                  // 2026-01-31T09:30:00Z
	LitRelative                  // -30d, +2w, -6h
	LitToday                     // today
	LitNow                       // now
	LitMe                        // me()
)

// Value is a literal. Text is its canonical form: the unquoted string, the
// normalised number ("-3.5"), "true", the date, the RFC 3339 date-time, the
// signed relative offset ("-30d"); empty for today, now and me().
type Value struct {
	At   Pos
	Kind ValueKind
	Text string
}

func (*And) expr()  {}
func (*Or) expr()   {}
func (*Not) expr()  {}
func (*Cond) expr() {}

func (e *And) Pos() Pos  { return e.Terms[0].Pos() }
func (e *Or) Pos() Pos   { return e.Terms[0].Pos() }
func (e *Not) Pos() Pos  { return e.At }
func (e *Cond) Pos() Pos { return e.Field.At }

func (e *And) String() string {
	parts := make([]string, len(e.Terms))
	for i, t := range e.Terms {
		parts[i] = t.String()
		if _, ok := t.(*Or); ok {
			parts[i] = "(" + parts[i] + ")"
		}
	}
	return strings.Join(parts, " and ")
}

func (e *Or) String() string {
	parts := make([]string, len(e.Terms))
	for i, t := range e.Terms {
		parts[i] = t.String()
	}
	return strings.Join(parts, " or ")
}

func (e *Not) String() string {
	switch e.X.(type) {
	case *And, *Or:
		return "not (" + e.X.String() + ")"
	}
	return "not " + e.X.String()
}

func (e *Cond) String() string {
	switch e.Op {
	case IsEmpty, IsNotEmpty:
		return e.Field.Name + " " + e.Op.String()
	case In, NotIn:
		vals := make([]string, len(e.Values))
		for i, v := range e.Values {
			vals[i] = v.String()
		}
		return e.Field.Name + " " + e.Op.String() + " (" + strings.Join(vals, ", ") + ")"
	}
	return e.Field.Name + " " + e.Op.String() + " " + e.Values[0].String()
}

func (v Value) String() string {
	switch v.Kind {
	case LitString:
		return strconv.Quote(v.Text)
	case LitToday:
		return "today"
	case LitNow:
		return "now"
	case LitMe:
		return "me()"
	}
	return v.Text
}

// Fields lists the field names e mentions, each once, in order of first use,
// as written (lower-cased). Filter.Fields gives the schema's names instead.
func Fields(e Expr) []string {
	var out []string
	seen := map[string]bool{}
	walk(e, func(c *Cond) {
		if !seen[c.Field.Name] {
			seen[c.Field.Name] = true
			out = append(out, c.Field.Name)
		}
	})
	return out
}

// walk calls fn for every condition in e, left to right.
func walk(e Expr, fn func(*Cond)) {
	switch e := e.(type) {
	case *And:
		for _, t := range e.Terms {
			walk(t, fn)
		}
	case *Or:
		for _, t := range e.Terms {
			walk(t, fn)
		}
	case *Not:
		walk(e.X, fn)
	case *Cond:
		fn(e)
	}
}
