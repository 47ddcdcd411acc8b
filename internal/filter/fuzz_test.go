package filter

import (
	"errors"
	"reflect"
	"strings"
	"testing"

	"github.com/tandemcrm/tandem/internal/store"
)

// FuzzParse checks that the parser never panics, that every error is an
// *Error with a position, and that whatever parses prints to a canonical
// form that parses back to the same tree. Inputs that pass the schema check
// must also compile with one argument per placeholder and evaluate.
func FuzzParse(f *testing.F) {
	for _, s := range []string{
		`lifecycle in ("lead","prospect") and company.size >= 50 and owner = me() and custom.region = "EMEA" and created_at > -30d`,
		`not (email ~ "a_b%" or email is empty) and custom.labels != "VIP"`,
		`created_at >= 2026-01-31 and created_at < 2026-02-01T09:30:00.5+02:00 or created_at = today`,
		`custom.score not in (1, 2.5, -3) and custom.vip = true and custom.renewal <= +2w`,
		`company.custom.tier = "GOLD" or company.name !~ "\"quoted\" \u00e9\n"`,
		`((a = 1)) and not not b != 2 or c is not empty`,
		`x > 007.50 and y < -0 and z = +3`, `a = "\xff"`, `a in (1,)`, `)`, `a = 2026-13-01`,
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, src string) {
		e, err := Parse(src)
		if err != nil {
			var fe *Error
			if !errors.As(err, &fe) || fe.Line < 1 || fe.Col < 1 {
				t.Fatalf("Parse(%q): error without position: %v", src, err)
			}
			return
		}
		canon := e.String()
		e2, err := Parse(canon)
		if err != nil {
			t.Fatalf("canonical form %q of %q does not parse: %v", canon, src, err)
		}
		if got := e2.String(); got != canon {
			t.Fatalf("canonical form is not stable: %q → %q", canon, got)
		}
		if !reflect.DeepEqual(stripPos(e), stripPos(e2)) {
			t.Fatalf("%q and its canonical form %q parse to different trees", src, canon)
		}
		checkCompiles(t, canon)
	})
}

func checkCompiles(t *testing.T, src string) {
	for _, s := range []*Schema{contactSchema, dealSchema} {
		flt, err := New(s, src)
		if err != nil {
			continue
		}
		for _, d := range []store.Dialect{store.SQLite, store.Postgres} {
			q, args, err := flt.SQL(d, propEnv)
			if err == nil && strings.Count(q, "?") != len(args) {
				t.Fatalf("%q: %d placeholders, %d args:\n%s", src, strings.Count(q, "?"), len(args), q)
			}
		}
		if _, err := flt.Eval(Record{}, propEnv); err != nil {
			t.Fatalf("Eval(%q): %v", src, err)
		}
	}
}

// stripPos returns a copy of e without positions, for comparing trees.
func stripPos(e Expr) Expr {
	switch e := e.(type) {
	case *And:
		return &And{Terms: stripAll(e.Terms)}
	case *Or:
		return &Or{Terms: stripAll(e.Terms)}
	case *Not:
		return &Not{X: stripPos(e.X)}
	case *Cond:
		c := &Cond{Field: FieldRef{Name: e.Field.Name}, Op: e.Op}
		for _, v := range e.Values {
			c.Values = append(c.Values, Value{Kind: v.Kind, Text: v.Text})
		}
		return c
	}
	return e
}

func stripAll(es []Expr) []Expr {
	out := make([]Expr, len(es))
	for i, e := range es {
		out[i] = stripPos(e)
	}
	return out
}
