package filter

import (
	"strings"
)

// Filter is a parsed expression checked against a schema: ready to compile
// to SQL or to evaluate. It is immutable and safe for concurrent use; values
// that depend on the moment or the person (me(), today, -30d) are resolved
// from an Env each time it is used.
type Filter struct {
	schema *Schema
	expr   Expr
	root   node
	fields []string
}

// node is the checked tree: and/or lists, not, and conditions.
type node interface{ isNode() }

type andNode []node
type orNode []node
type notNode struct{ x node }

// condNode is a condition reduced to a positive operator (Eq, Lt, Le, Gt,
// Ge, Contains, In, IsNotEmpty) and a negation flag: != is not =, !~ is not ~,
// not in is not in, is empty is not is-not-empty. Positive conditions never
// hold for an empty value; negated ones are their exact complement.
type condNode struct {
	b    binding
	op   Op
	neg  bool
	vals []val
}

func (andNode) isNode()   {}
func (orNode) isNode()    {}
func (notNode) isNode()   {}
func (*condNode) isNode() {}

// New parses src and checks it against s.
func New(s *Schema, src string) (*Filter, error) {
	e, err := Parse(src)
	if err != nil {
		return nil, err
	}
	return Check(s, e)
}

// Check resolves every field of e against s and checks operators and values
// against the fields' types.
func Check(s *Schema, e Expr) (*Filter, error) {
	if err := s.Validate(); err != nil {
		return nil, err
	}
	f := &Filter{schema: s, expr: e}
	root, err := f.check(e)
	if err != nil {
		return nil, err
	}
	f.root = root
	return f, nil
}

// Expr returns the parsed expression.
func (f *Filter) Expr() Expr { return f.expr }

// String prints the expression in canonical form.
func (f *Filter) String() string { return f.expr.String() }

// Fields lists the schema names of the fields the filter uses, each once, in
// order of first use ("owner", "custom.region", "company.size"), so callers
// can check permissions and indexes.
func (f *Filter) Fields() []string { return f.fields }

func (f *Filter) check(e Expr) (node, error) {
	switch e := e.(type) {
	case *And:
		return f.checkList(e.Terms, func(ns []node) node { return andNode(ns) })
	case *Or:
		return f.checkList(e.Terms, func(ns []node) node { return orNode(ns) })
	case *Not:
		x, err := f.check(e.X)
		return notNode{x}, err
	case *Cond:
		return f.checkCond(e)
	}
	panic("filter: unknown expression type")
}

func (f *Filter) checkList(terms []Expr, mk func([]node) node) (node, error) {
	ns := make([]node, len(terms))
	for i, t := range terms {
		n, err := f.check(t)
		if err != nil {
			return nil, err
		}
		ns[i] = n
	}
	return mk(ns), nil
}

// positive maps each operator to its positive form and whether it negates it.
var positive = map[Op]struct {
	op  Op
	neg bool
}{
	Eq: {Eq, false}, Ne: {Eq, true}, Lt: {Lt, false}, Le: {Le, false}, Gt: {Gt, false}, Ge: {Ge, false},
	Contains: {Contains, false}, NotContains: {Contains, true}, In: {In, false}, NotIn: {In, true},
	IsNotEmpty: {IsNotEmpty, false}, IsEmpty: {IsNotEmpty, true},
}

// allowedOps lists the positive operators of each type (besides IsNotEmpty,
// which every type has).
var allowedOps = map[Type][]Op{
	Text:     {Eq, Lt, Le, Gt, Ge, Contains, In},
	Number:   {Eq, Lt, Le, Gt, Ge, In},
	Money:    {Eq, Lt, Le, Gt, Ge, In},
	Date:     {Eq, Lt, Le, Gt, Ge, In},
	DateTime: {Eq, Lt, Le, Gt, Ge},
	Bool:     {Eq},
	Ref:      {Eq, In},
	User:     {Eq, In},
	Enum:     {Eq, In},
	Tags:     {Eq, Contains, In},
}

func (f *Filter) checkCond(c *Cond) (node, error) {
	b, err := f.resolve(c.Field)
	if err != nil {
		return nil, err
	}
	f.noteField(b.name)
	pos := positive[c.Op]
	n := &condNode{b: b, op: pos.op, neg: pos.neg}
	if pos.op != IsNotEmpty && !hasOp(allowedOps[b.field.Type], pos.op) {
		return nil, errorf(c.OpAt, "operator '%s' does not apply to %s field '%s'", c.Op, b.field.Type, b.name).
			hint("use %s", opList(b.field.Type))
	}
	for _, v := range c.Values {
		cv, err := checkValue(b, v)
		if err != nil {
			return nil, err
		}
		n.vals = append(n.vals, cv)
	}
	return n, nil
}

func (f *Filter) noteField(name string) {
	for _, n := range f.fields {
		if n == name {
			return
		}
	}
	f.fields = append(f.fields, name)
}

func (f *Filter) resolve(ref FieldRef) (binding, error) {
	if b, ok := f.schema.lookup(ref.Name); ok {
		return b, nil
	}
	err := errorf(ref.At, "unknown field '%s'", ref.Name)
	if head, rest, ok := strings.Cut(ref.Name, "."); ok && strings.Contains(rest, ".") &&
		!strings.EqualFold(head, "custom") && !strings.HasPrefix(rest, "custom.") {
		return binding{}, err.hint("filters reach one level into related records, like company.size")
	}
	if s := suggest(ref.Name, f.schema.names(true)); s != "" {
		return binding{}, err.hint("did you mean '%s'?", s)
	}
	return binding{}, err.hint("%s fields are: %s", f.schema.Object, strings.Join(f.schema.names(false), ", "))
}

func hasOp(ops []Op, op Op) bool {
	for _, o := range ops {
		if o == op {
			return true
		}
	}
	return false
}

// opList spells out the operators a type accepts, for hints.
func opList(t Type) string {
	var parts []string
	for _, o := range allowedOps[t] {
		for _, user := range []Op{Eq, Ne, Lt, Le, Gt, Ge, Contains, NotContains, In, NotIn} {
			if positive[user].op == o {
				parts = append(parts, user.String())
			}
		}
	}
	return strings.Join(append(parts, "is empty", "is not empty"), ", ")
}
