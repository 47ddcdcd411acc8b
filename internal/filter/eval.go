package filter

import (
	"encoding/json"
	"math"
	"strings"
	"time"

	"github.com/tandemcrm/tandem/internal/crm"
)

// Record is one object's values for Eval.
//
// Go values are read by the field's type: text, choices and dates as string;
// numbers as any integer or float type or json.Number; money as minor units;
// date-times as time.Time or Unix microseconds; ids as crm.ID or an integer;
// tags as []string or []any. A value of another type, or a missing one,
// counts as empty, as a custom value of the wrong JSON type does in SQL.
type Record struct {
	Fields  map[string]any      // built-in fields by Field.Name
	Custom  map[string]any      // custom fields by key, as decoded from the JSON column
	Related map[string][]Record // related records by Relation.Name; none when there is none
}

// Eval reports whether r matches the filter, with the same semantics as the
// SQL the filter compiles to; workflow conditions use it on a single record.
func (f *Filter) Eval(r Record, env Env) (bool, error) {
	e := &evaluator{env: env}
	ok := e.node(f.root, r)
	return ok, e.err
}

type evaluator struct {
	env Env
	err error
}

func (e *evaluator) node(n node, r Record) bool {
	switch n := n.(type) {
	case andNode:
		for _, x := range n {
			if !e.node(x, r) {
				return false
			}
		}
		return true
	case orNode:
		for _, x := range n {
			if e.node(x, r) {
				return true
			}
		}
		return false
	case notNode:
		return !e.node(n.x, r)
	case *condNode:
		return e.cond(n, r) != n.neg
	}
	panic("filter: unknown node")
}

// cond evaluates the positive form of n.
func (e *evaluator) cond(n *condNode, r Record) bool {
	vals := make([]resolved, len(n.vals))
	for i, v := range n.vals {
		rv, err := v.resolve(n.b.field.Type, e.env)
		if err != nil && e.err == nil {
			e.err = err
		}
		vals[i] = rv
	}
	if n.b.rel == nil {
		return holds(n, cellOf(n.b, r), vals)
	}
	for _, rel := range r.Related[n.b.rel.Name] {
		if holds(n, cellOf(n.b, rel), vals) {
			return true
		}
	}
	return false
}

// cell is a record's value of one field, normalised; ok is false when the
// value is empty.
type cell struct {
	ok   bool
	s    string
	n    num
	tags []string
	b    bool
}

func cellOf(b binding, r Record) cell {
	v := r.Fields[b.field.Name]
	if b.custom {
		v = r.Custom[b.field.Name]
	}
	switch b.field.Type {
	case Text, Enum, Date:
		s, _ := v.(string)
		return cell{ok: s != "", s: s}
	case Bool:
		x, ok := v.(bool)
		return cell{ok: ok, b: x}
	case Tags:
		tags := stringsOf(v)
		return cell{ok: len(tags) > 0, tags: tags}
	case DateTime:
		if t, ok := v.(time.Time); ok {
			v = int64(0)
			if !t.IsZero() {
				v = t.UnixMicro()
			}
		}
		n, ok := numOf(v)
		return cell{ok: ok && n.float() != 0, n: n}
	case Ref, User:
		n, ok := numOf(v)
		return cell{ok: ok && n.float() != 0, n: n}
	}
	n, ok := numOf(v)
	return cell{ok: ok, n: n}
}

func numOf(v any) (num, bool) {
	switch v := v.(type) {
	case int:
		return num{i: int64(v)}, true
	case int32:
		return num{i: int64(v)}, true
	case int64:
		return num{i: v}, true
	case crm.ID:
		return num{i: int64(v)}, true
	case float32:
		return floatNum(float64(v))
	case float64:
		return floatNum(v)
	case json.Number:
		if i, err := v.Int64(); err == nil {
			return num{i: i}, true
		}
		f, err := v.Float64()
		return num{f: f, isFloat: true}, err == nil
	}
	return num{}, false
}

// floatNum keeps whole floats exact as integers, as SQLite and PostgreSQL
// compare 50.0 and 50 as equal.
func floatNum(f float64) (num, bool) {
	if math.IsNaN(f) || math.IsInf(f, 0) {
		return num{}, false
	}
	if f == math.Trunc(f) && math.Abs(f) < 1<<53 {
		return num{i: int64(f)}, true
	}
	return num{f: f, isFloat: true}, true
}

func stringsOf(v any) []string {
	switch v := v.(type) {
	case []string:
		return v
	case []any:
		var out []string
		for _, x := range v {
			if s, ok := x.(string); ok {
				out = append(out, s)
			}
		}
		return out
	}
	return nil
}

// holds evaluates a positive condition on one cell.
func holds(n *condNode, c cell, vals []resolved) bool {
	if n.op == IsNotEmpty || !c.ok {
		return c.ok
	}
	if n.b.field.Type == Tags {
		for _, t := range c.tags {
			if matchText(n.op, fold(t), vals) {
				return true
			}
		}
		return false
	}
	for _, v := range vals {
		if one(n.b.field.Type, n.op, c, v) {
			return true // In holds when any value does; other ops have one value
		}
	}
	return false
}

func matchText(op Op, s string, vals []resolved) bool {
	for _, v := range vals {
		if op == Contains && strings.Contains(s, v.s) || op != Contains && s == v.s {
			return true
		}
	}
	return false
}

func one(t Type, op Op, c cell, v resolved) bool {
	switch t {
	case Text:
		if op == Contains {
			return strings.Contains(fold(c.s), v.s)
		}
		return order(op, strings.Compare(fold(c.s), v.s))
	case Enum, Date:
		return order(op, strings.Compare(c.s, v.s))
	case Bool:
		return c.b == v.b
	case Money, Ref, User:
		return order(op, cmpNum(c.n, num{i: v.i}))
	case Number:
		return order(op, cmpNum(c.n, v.n))
	}
	// DateTime: compare with the interval [lo, hi), as the SQL does.
	x := c.n.i
	if c.n.isFloat {
		x = int64(c.n.f)
	}
	switch op {
	case Eq:
		return x >= v.lo && x < v.hi
	case Lt:
		return x < v.lo
	case Le:
		return x < v.hi
	case Gt:
		return x >= v.hi
	}
	return x >= v.lo
}

func order(op Op, c int) bool {
	switch op {
	case Eq, In:
		return c == 0
	case Lt:
		return c < 0
	case Le:
		return c <= 0
	case Gt:
		return c > 0
	}
	return c >= 0
}

func cmpNum(a, b num) int {
	if !a.isFloat && !b.isFloat {
		switch {
		case a.i < b.i:
			return -1
		case a.i > b.i:
			return 1
		}
		return 0
	}
	x, y := a.float(), b.float()
	switch {
	case x < y:
		return -1
	case x > y:
		return 1
	}
	return 0
}
