package filter

import (
	"strings"

	"github.com/tandemcrm/tandem/internal/store"
)

// The SQL of single conditions. Every core below is written so that an empty
// value (NULL; '' for text and dates; 0 for ids and date-times; no tags) never
// satisfies it, matching the evaluator. atom reports whether the core can be
// NULL, in which case its negation must add "x IS NULL OR".

// pgUpper/pgLower fold ASCII only: PostgreSQL's lower() folds all of Unicode,
// SQLite's only ASCII, and the two must agree.
const (
	pgUpper = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
	pgLower = "abcdefghijklmnopqrstuvwxyz"
)

func (c *compiler) fold(x string) string {
	if c.d == store.Postgres {
		return "translate(" + x + ", '" + pgUpper + "', '" + pgLower + "')"
	}
	return "lower(" + x + ")"
}

// bytewise makes PostgreSQL order text by code point, as SQLite and Go do,
// instead of by the database's locale.
func (c *compiler) bytewise() string {
	if c.d == store.Postgres {
		return ` COLLATE "C"`
	}
	return ""
}

var sqlOp = map[Op]string{Eq: "=", Lt: "<", Le: "<=", Gt: ">", Ge: ">="}

func (c *compiler) atom(n *condNode, x string, vals []resolved) (string, bool) {
	switch n.b.field.Type {
	case Text:
		return c.textAtom(n.op, x, vals)
	case Enum:
		return c.plainAtom(n.op, x, vals, func(v resolved) string { return c.arg(v.s) }, "''")
	case Date:
		switch n.op {
		case Lt, Le: // '' sorts first; it is empty, so it must not match
			return "(" + x + " <> '' AND " + x + " " + sqlOp[n.op] + " " + c.arg(vals[0].s) + c.bytewise() + ")", true
		case Gt, Ge:
			return "(" + x + " " + sqlOp[n.op] + " " + c.arg(vals[0].s) + c.bytewise() + ")", true
		}
		return c.plainAtom(n.op, x, vals, func(v resolved) string { return c.arg(v.s) }, "''")
	case Number:
		return c.plainAtom(n.op, x, vals, c.numArg, "")
	case Money:
		return c.plainAtom(n.op, x, vals, func(v resolved) string { return c.arg(v.i) }, "")
	case Ref, User:
		return c.plainAtom(n.op, x, vals, func(v resolved) string { return c.arg(v.i) }, "0")
	case Bool:
		return c.plainAtom(n.op, x, vals, func(v resolved) string { return c.arg(v.b) }, "")
	case DateTime:
		return c.timeAtom(n.op, x, vals)
	case Tags:
		return c.tagsAtom(n.op, x, vals), false
	}
	panic("filter: unknown field type")
}

// plainAtom compares x directly; empty is the sentinel that, besides NULL,
// means "no value" for the type ("" when there is none).
func (c *compiler) plainAtom(op Op, x string, vals []resolved, arg func(resolved) string, empty string) (string, bool) {
	switch op {
	case IsNotEmpty:
		if empty == "" {
			return "(" + x + " IS NOT NULL)", false
		}
		return "(" + x + " IS NOT NULL AND " + x + " <> " + empty + ")", false
	case In:
		return "(" + x + " IN " + c.argList(vals, arg) + ")", true
	}
	return "(" + x + " " + sqlOp[op] + " " + arg(vals[0]) + ")", true
}

func (c *compiler) numArg(v resolved) string {
	if !v.n.isFloat {
		return c.arg(v.n.i)
	}
	if c.d == store.Postgres {
		// An untyped parameter next to a BIGINT column would be read as
		// BIGINT, and 2.5 does not fit.
		return "CAST(" + c.arg(v.n.f) + " AS DOUBLE PRECISION)"
	}
	return c.arg(v.n.f)
}

func (c *compiler) textAtom(op Op, x string, vals []resolved) (string, bool) {
	textArg := func(v resolved) string { return c.arg(v.s) }
	switch op {
	case IsNotEmpty:
		return "(" + x + " IS NOT NULL AND " + x + " <> '')", false
	case Contains:
		return "(" + c.likeTarget(x) + " LIKE " + c.arg(likePattern(vals[0].s)) + ` ESCAPE '\')`, true
	case In:
		return "(" + c.fold(x) + " IN " + c.argList(vals, textArg) + ")", true
	case Lt, Le: // '' sorts first; it is empty, so it must not match
		return "(" + x + " <> '' AND " + c.fold(x) + " " + sqlOp[op] + " " + textArg(vals[0]) + c.bytewise() + ")", true
	case Gt, Ge:
		return "(" + c.fold(x) + " " + sqlOp[op] + " " + textArg(vals[0]) + c.bytewise() + ")", true
	}
	return "(" + c.fold(x) + " = " + textArg(vals[0]) + ")", true
}

// likeTarget is what LIKE runs on: SQLite's LIKE already ignores ASCII case
// (and only ASCII case); PostgreSQL's LIKE is case-sensitive, so fold first.
func (c *compiler) likeTarget(x string) string {
	if c.d == store.Postgres {
		return c.fold(x)
	}
	return x
}

// likePattern matches s anywhere, with LIKE's wildcards escaped.
func likePattern(s string) string {
	r := strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`)
	return "%" + r.Replace(s) + "%"
}

// timeAtom compares a date-time with the interval [lo, hi) a value covers.
func (c *compiler) timeAtom(op Op, x string, vals []resolved) (string, bool) {
	if op == IsNotEmpty {
		return "(" + x + " IS NOT NULL AND " + x + " <> 0)", false
	}
	v := vals[0]
	var cmp string
	switch op {
	case Eq:
		cmp = x + " >= " + c.arg(v.lo) + " AND " + x + " < " + c.arg(v.hi)
	case Lt:
		cmp = x + " < " + c.arg(v.lo)
	case Le:
		cmp = x + " < " + c.arg(v.hi)
	case Gt:
		cmp = x + " >= " + c.arg(v.hi)
	case Ge:
		cmp = x + " >= " + c.arg(v.lo)
	}
	return "(" + x + " <> 0 AND " + cmp + ")", true
}

// tagsAtom tests whether any string element of the array x satisfies op.
func (c *compiler) tagsAtom(op Op, x string, vals []resolved) string {
	var elem, from string
	if c.d == store.Postgres {
		from = "jsonb_array_elements(" + x + ") AS e(v) WHERE jsonb_typeof(e.v) = 'string'"
		elem = "e.v #>> '{}'"
	} else {
		from = "json_each(" + x + ") AS e WHERE e.type = 'text'"
		elem = "e.value"
	}
	var cond string
	switch op {
	case Eq:
		cond = " AND " + c.fold(elem) + " = " + c.arg(vals[0].s)
	case Contains:
		cond = " AND " + c.likeTarget(elem) + " LIKE " + c.arg(likePattern(vals[0].s)) + ` ESCAPE '\'`
	case In:
		cond = " AND " + c.fold(elem) + " IN " + c.argList(vals, func(v resolved) string { return c.arg(v.s) })
	}
	return "EXISTS (SELECT 1 FROM " + from + cond + ")"
}

// customValue reads a custom field from the JSON column col. A value of the
// wrong JSON type reads as NULL (empty) rather than failing the query or
// comparing by accident, in both dialects.
func (c *compiler) customValue(col string, f *Field) string {
	key := f.Name // Schema.Validate made it a plain identifier
	if c.d == store.Postgres {
		ref := col + "->'" + key + "'"
		switch f.Type {
		case Text, Enum, Date:
			return "(CASE WHEN jsonb_typeof(" + ref + ") = 'string' THEN " + col + "->>'" + key + "' END)"
		case Bool:
			return "(CASE WHEN jsonb_typeof(" + ref + ") = 'boolean' THEN (" + col + "->>'" + key + "')::boolean END)"
		case Tags:
			return c.guardArray(ref)
		}
		return "(CASE WHEN jsonb_typeof(" + ref + ") = 'number' THEN (" + col + "->>'" + key + "')::numeric END)"
	}
	path := "'$." + key + "'"
	types := map[Type]string{Text: "'text'", Enum: "'text'", Date: "'text'", Bool: "'true', 'false'", Tags: "'array'"}[f.Type]
	if types == "" {
		types = "'integer', 'real'"
	}
	return "(CASE WHEN json_type(" + col + ", " + path + ") IN (" + types + ") THEN json_extract(" + col + ", " + path + ") END)"
}

// guardArray yields x when it holds a JSON array and NULL otherwise, because
// PostgreSQL's jsonb_array_elements fails on anything else and SQLite's
// json_each would walk an object.
func (c *compiler) guardArray(x string) string {
	if c.d == store.Postgres {
		return "(CASE WHEN jsonb_typeof(" + x + ") = 'array' THEN " + x + " END)"
	}
	return "(CASE WHEN json_type(" + x + ") = 'array' THEN " + x + " END)"
}
