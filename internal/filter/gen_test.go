package filter

import (
	"math/rand/v2"
	"strings"
	"time"
)

// genExpr builds a random, well-typed expression over s, with values drawn
// from pools that overlap the records of the property test.
func genExpr(r *rand.Rand, s *Schema, depth int) Expr {
	if depth > 0 && r.IntN(3) == 0 {
		switch r.IntN(3) {
		case 0:
			return &Not{X: genExpr(r, s, depth-1)}
		case 1:
			return &And{Terms: []Expr{genExpr(r, s, depth-1), genExpr(r, s, depth-1)}}
		default:
			return &Or{Terms: []Expr{genExpr(r, s, depth-1), genExpr(r, s, depth-1)}}
		}
	}
	return genCond(r, s)
}

// genField picks a built-in, custom or related field.
func genField(r *rand.Rand, s *Schema) (string, Field) {
	switch n := r.IntN(10); {
	case n < 5 || len(s.Custom) == 0:
		f := s.Fields[r.IntN(len(s.Fields))]
		return f.Name, f
	case n < 8 || len(s.Relations) == 0:
		f := s.Custom[r.IntN(len(s.Custom))]
		return "custom." + f.Name, f
	}
	rel := s.Relations[r.IntN(len(s.Relations))]
	name, f := genField(r, &Schema{Fields: rel.Target.Fields, Custom: rel.Target.Custom})
	return rel.Name + "." + name, f
}

var userOps = map[Op][]Op{ // positive op → the spellings that reach it
	Eq: {Eq, Ne}, Lt: {Lt}, Le: {Le}, Gt: {Gt}, Ge: {Ge}, Contains: {Contains, NotContains}, In: {In, NotIn},
}

func genCond(r *rand.Rand, s *Schema) Expr {
	name, f := genField(r, s)
	if r.IntN(8) == 0 {
		return &Cond{Field: FieldRef{Name: name}, Op: []Op{IsEmpty, IsNotEmpty}[r.IntN(2)]}
	}
	ops := allowedOps[f.Type]
	spellings := userOps[ops[r.IntN(len(ops))]]
	op := spellings[r.IntN(len(spellings))]
	n := 1
	if op == In || op == NotIn {
		n = 1 + r.IntN(3)
	}
	c := &Cond{Field: FieldRef{Name: name}, Op: op}
	for range n {
		c.Values = append(c.Values, genValue(r, f, op == In || op == NotIn))
	}
	return c
}

func lit(k ValueKind, text string) Value { return Value{Kind: k, Text: text} }

func genValue(r *rand.Rand, f Field, inList bool) Value {
	one := func(vs ...Value) Value { return vs[r.IntN(len(vs))] }
	str := func(ss ...string) Value { return lit(LitString, ss[r.IntN(len(ss))]) }
	switch f.Type {
	case Text, Tags:
		return str("alice", "ALICE", "bob", "Ünï", "ünï", "a_b", "%", "_", "b", "zed", "Bob Smith", "emea", "Gold", "vip", "x")
	case Enum:
		v := f.Values[r.IntN(len(f.Values))]
		if r.IntN(4) == 0 {
			v = strings.ToUpper(v) // choices are matched ignoring case
		}
		return str(v)
	case Number:
		return one(lit(LitNumber, "-5"), lit(LitNumber, "0"), lit(LitNumber, "1"), lit(LitNumber, "5"), lit(LitNumber, "50"),
			lit(LitNumber, "1000"), lit(LitNumber, "0.5"), lit(LitNumber, "1.25"), lit(LitNumber, "2.5"), lit(LitNumber, "-0.1"))
	case Money:
		return one(lit(LitNumber, "0"), lit(LitNumber, "1"), lit(LitNumber, "5000"), lit(LitNumber, "1234.56"), lit(LitNumber, "-0.5"))
	case Bool:
		return one(lit(LitBool, "true"), lit(LitBool, "false"))
	case User:
		return one(Value{Kind: LitMe}, lit(LitNumber, "7"), lit(LitNumber, "8"), lit(LitString, "8"))
	case Ref:
		return lit(LitNumber, string(rune('1'+r.IntN(5))))
	case Date:
		day := lit(LitDate, propEnv.Now.AddDate(0, 0, r.IntN(21)-10).Format(time.DateOnly))
		return one(day, day, Value{Kind: LitToday}, lit(LitRelative, "-3d"), lit(LitRelative, "+1w"), lit(LitRelative, "-1mo"))
	}
	t := propEnv.Now.Add(time.Duration(r.IntN(40*24)-20*24) * time.Hour)
	return one(lit(LitDate, t.Format(time.DateOnly)), lit(LitDateTime, t.Format(time.RFC3339Nano)), Value{Kind: LitToday},
		Value{Kind: LitNow}, lit(LitRelative, "-6h"), lit(LitRelative, "-3d"), lit(LitRelative, "+1d"), lit(LitRelative, "-2w"))
}
