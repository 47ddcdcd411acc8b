package filter

import (
	"strings"

	"github.com/tandemcrm/tandem/internal/store"
)

// SQL compiles the filter to a WHERE fragment for dialect d with "?"
// placeholders (store.Tx rebinds them for PostgreSQL) and its arguments. The
// fragment is parenthesised, so the caller can AND it with its own
// conditions — it must, with workspace_id = ?: the fragment scopes related
// records to the outer row's workspace but does not scope the outer row.
//
// User values only ever travel as arguments; the SQL text is built from the
// schema's names and fixed templates.
func (f *Filter) SQL(d store.Dialect, env Env) (string, []any, error) {
	c := &compiler{d: d, env: env}
	c.node(f.root, false, f.schema)
	if c.err != nil {
		return "", nil, c.err
	}
	return "(" + c.b.String() + ")", c.args, nil
}

type compiler struct {
	d    store.Dialect
	env  Env
	b    strings.Builder
	args []any
	err  error
}

// node writes n, negated when neg is set. Negations are pushed down to the
// conditions (De Morgan), and each condition is written in a form that is
// never NULL where it matters, so SQL's three-valued logic agrees with the
// evaluator's two values.
func (c *compiler) node(n node, neg bool, s *Schema) {
	switch n := n.(type) {
	case andNode:
		c.list(n, neg, " AND ", " OR ", s)
	case orNode:
		c.list(n, neg, " OR ", " AND ", s)
	case notNode:
		c.node(n.x, !neg, s)
	case *condNode:
		c.cond(n, neg != n.neg, s)
	}
}

func (c *compiler) list(ns []node, neg bool, join, negJoin string, s *Schema) {
	if neg {
		join = negJoin
	}
	c.b.WriteByte('(')
	for i, n := range ns {
		if i > 0 {
			c.b.WriteString(join)
		}
		c.node(n, neg, s)
	}
	c.b.WriteByte(')')
}

func (c *compiler) cond(n *condNode, neg bool, s *Schema) {
	vals := c.resolveAll(n)
	if c.err != nil {
		return
	}
	if r := n.b.rel; r != nil {
		c.related(n, vals, neg, s, r)
		return
	}
	x := c.column(n.b, s, s.alias())
	if neg && n.op == IsNotEmpty && n.b.field.Type != Tags {
		c.b.WriteString(isEmpty(x, n.b.field.Type))
		return
	}
	narrow := ""
	if !neg && n.op == Contains && !n.b.custom && c.env.Narrow != nil {
		if cond, args := c.env.Narrow(n.b.field.Name, vals[0].s); cond != "" {
			narrow = strings.ReplaceAll(cond, "{t}", s.alias())
			c.args = append(c.args, args...)
		}
	}
	core, nullable := c.atom(n, x, vals)
	switch {
	case narrow != "":
		c.b.WriteString("(" + narrow + " AND " + core + ")")
	case !neg:
		c.b.WriteString(core)
	case nullable:
		c.b.WriteString("(" + x + " IS NULL OR NOT " + core + ")")
	default:
		c.b.WriteString("NOT " + core)
	}
}

func (c *compiler) resolveAll(n *condNode) []resolved {
	out := make([]resolved, len(n.vals))
	for i, v := range n.vals {
		r, err := v.resolve(n.b.field.Type, c.env)
		if err != nil && c.err == nil {
			c.err = err
		}
		out[i] = r
	}
	return out
}

// related writes a condition on a related record as an EXISTS subquery
// joined on the relation's key and, always, on the workspace: ids are unique,
// but a filter must never see across workspaces even if data is wrong.
func (c *compiler) related(n *condNode, vals []resolved, neg bool, outer *Schema, r *Relation) {
	t := r.Target
	alias := "r_" + r.Name
	remote := r.RemoteKey
	if remote == "" {
		remote = "id"
	}
	if neg {
		c.b.WriteString("NOT ")
	}
	c.b.WriteString("EXISTS (SELECT 1 FROM " + t.Table + " AS " + alias + " WHERE " +
		alias + "." + t.workspaceColumn() + " = " + outer.alias() + "." + outer.workspaceColumn() + " AND " +
		alias + "." + remote + " = " + outer.alias() + "." + r.LocalKey + " AND ")
	core, _ := c.atom(n, c.column(n.b, t, alias), vals)
	c.b.WriteString(core + ")")
}

// isEmpty spells "x is empty" directly rather than as NOT (is not empty),
// for readable SQL and plans.
func isEmpty(x string, t Type) string {
	switch t {
	case Text, Enum, Date:
		return "(" + x + " IS NULL OR " + x + " = '')"
	case Ref, User, DateTime:
		return "(" + x + " IS NULL OR " + x + " = 0)"
	}
	return "(" + x + " IS NULL)"
}

// arg adds an argument and returns its placeholder.
func (c *compiler) arg(v any) string {
	c.args = append(c.args, v)
	return "?"
}

func (c *compiler) argList(vals []resolved, one func(resolved) string) string {
	ps := make([]string, len(vals))
	for i, v := range vals {
		ps[i] = one(v)
	}
	return "(" + strings.Join(ps, ", ") + ")"
}

// column is the SQL expression that reads the field in table alias of s.
func (c *compiler) column(b binding, s *Schema, alias string) string {
	f := b.field
	if b.custom {
		return c.customValue(alias+"."+s.customColumn(), f)
	}
	x := alias + "." + f.Column
	if f.SQL != "" {
		x = "(" + strings.ReplaceAll(f.SQL, "{t}", alias) + ")"
	}
	if f.Type == Tags {
		return c.guardArray(x)
	}
	return x
}
