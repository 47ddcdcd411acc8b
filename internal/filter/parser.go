package filter

import "strings"

// Parse reads a filter expression. It checks syntax only; Check resolves the
// fields against a schema. Blank input is an error: callers that allow "no
// filter" test for it first.
//
// Grammar (docs/FILTERS.md has the EBNF): or binds loosest, then and, then
// not; conditions are `field op value`, `field [not] in (…)` and
// `field is [not] empty`.
func Parse(src string) (Expr, error) {
	toks, err := lex(src)
	if err != nil {
		return nil, err
	}
	p := &parser{toks: toks}
	if p.peek().kind == tEOF {
		return nil, errorf(p.peek().pos, "empty filter").hint(`write a condition such as name ~ "acme"`)
	}
	e, err := p.parseOr()
	if err != nil {
		return nil, err
	}
	if t := p.peek(); t.kind != tEOF {
		if t.kind == tRParen {
			return nil, errorf(t.pos, "unexpected ')'").hint("remove it or add a matching '('")
		}
		return nil, errorf(t.pos, "expected 'and', 'or' or the end of the filter, found %s", describe(t))
	}
	return e, nil
}

type parser struct {
	toks  []token
	i     int
	depth int
}

func (p *parser) peek() token { return p.toks[p.i] }

func (p *parser) take() token {
	t := p.toks[p.i]
	if t.kind != tEOF {
		p.i++
	}
	return t
}

func (p *parser) isKeyword(kw string) bool {
	t := p.peek()
	return t.kind == tIdent && t.text == kw
}

func (p *parser) parseOr() (Expr, error) {
	return p.parseList("or", p.parseAnd, func(ts []Expr) Expr { return &Or{Terms: ts} })
}

func (p *parser) parseAnd() (Expr, error) {
	return p.parseList("and", p.parseUnary, func(ts []Expr) Expr { return &And{Terms: ts} })
}

// parseList reads term { kw term } and flattens nested lists of the same
// kind, so "(a and b) and c" and "a and (b and c)" give the same tree.
func (p *parser) parseList(kw string, term func() (Expr, error), mk func([]Expr) Expr) (Expr, error) {
	var terms []Expr
	for {
		e, err := term()
		if err != nil {
			return nil, err
		}
		terms = appendFlat(terms, e, kw)
		if !p.isKeyword(kw) {
			break
		}
		p.take()
	}
	if len(terms) == 1 {
		return terms[0], nil
	}
	return mk(terms), nil
}

func appendFlat(terms []Expr, e Expr, kw string) []Expr {
	if a, ok := e.(*And); ok && kw == "and" {
		return append(terms, a.Terms...)
	}
	if o, ok := e.(*Or); ok && kw == "or" {
		return append(terms, o.Terms...)
	}
	return append(terms, e)
}

func (p *parser) enter(at Pos) error {
	p.depth++
	if p.depth > MaxDepth {
		return errorf(at, "filter is nested too deeply (more than %d levels)", MaxDepth)
	}
	return nil
}

func (p *parser) parseUnary() (Expr, error) {
	if !p.isKeyword("not") {
		return p.parsePrimary()
	}
	t := p.take()
	if err := p.enter(t.pos); err != nil {
		return nil, err
	}
	defer func() { p.depth-- }()
	x, err := p.parseUnary()
	if err != nil {
		return nil, err
	}
	return &Not{At: t.pos, X: x}, nil
}

func (p *parser) parsePrimary() (Expr, error) {
	t := p.peek()
	if t.kind != tLParen {
		return p.parseCond()
	}
	p.take()
	if err := p.enter(t.pos); err != nil {
		return nil, err
	}
	defer func() { p.depth-- }()
	e, err := p.parseOr()
	if err != nil {
		return nil, err
	}
	if err := p.expect(tRParen, "')'"); err != nil {
		return nil, err
	}
	return e, nil
}

func (p *parser) expect(k tokKind, what string) error {
	if t := p.peek(); t.kind != k {
		return errorf(t.pos, "expected %s, found %s", what, describe(t))
	}
	p.take()
	return nil
}

// reserved words cannot name fields; everything else can.
var reserved = map[string]bool{"and": true, "or": true, "not": true, "in": true, "is": true,
	"empty": true, "true": true, "false": true, "today": true, "now": true}

func (p *parser) parseField() (FieldRef, error) {
	t := p.peek()
	if t.kind != tIdent || reserved[t.text] {
		return FieldRef{}, errorf(t.pos, "expected a field name, found %s", describe(t))
	}
	p.take()
	name := t.text
	for p.peek().kind == tDot {
		p.take()
		s := p.peek()
		if s.kind != tIdent {
			return FieldRef{}, errorf(s.pos, "expected a field name after '.', found %s", describe(s))
		}
		p.take()
		name += "." + s.text
	}
	return FieldRef{At: t.pos, Name: name}, nil
}

func (p *parser) parseCond() (Expr, error) {
	f, err := p.parseField()
	if err != nil {
		return nil, err
	}
	t := p.peek()
	switch {
	case t.kind == tOp:
		p.take()
		v, err := p.parseValue()
		if err != nil {
			return nil, err
		}
		return &Cond{Field: f, Op: opFromText(t.text), OpAt: t.pos, Values: []Value{v}}, nil
	case t.kind == tIdent && t.text == "in":
		p.take()
		return p.parseIn(f, In, t.pos)
	case t.kind == tIdent && t.text == "not":
		p.take()
		if !p.isKeyword("in") {
			return nil, errorf(p.peek().pos, "expected 'in' after 'not', found %s", describe(p.peek())).
				hint("to negate a condition write 'not' before the field")
		}
		p.take()
		return p.parseIn(f, NotIn, t.pos)
	case t.kind == tIdent && t.text == "is":
		return p.parseIsEmpty(f)
	}
	return nil, errorf(t.pos, "expected an operator after '%s', found %s", f.Name, describe(t)).
		hint("use = != < <= > >= ~ !~ in, not in, is empty or is not empty")
}

func opFromText(s string) Op {
	for i, t := range opText[:NotContains+1] {
		if t == s {
			return Op(i)
		}
	}
	panic("filter: lexer produced unknown operator " + s)
}

func (p *parser) parseIsEmpty(f FieldRef) (Expr, error) {
	at := p.take().pos
	op := IsEmpty
	if p.isKeyword("not") {
		p.take()
		op = IsNotEmpty
	}
	if !p.isKeyword("empty") {
		return nil, errorf(p.peek().pos, "expected 'empty', found %s", describe(p.peek())).
			hint("write 'is empty' or 'is not empty'")
	}
	p.take()
	return &Cond{Field: f, Op: op, OpAt: at}, nil
}

func (p *parser) parseIn(f FieldRef, op Op, at Pos) (Expr, error) {
	if err := p.expect(tLParen, "'(' after 'in'"); err != nil {
		return nil, err
	}
	var vals []Value
	for {
		v, err := p.parseValue()
		if err != nil {
			return nil, err
		}
		if vals = append(vals, v); len(vals) > MaxListSize {
			return nil, errorf(v.At, "too many values in the list (the limit is %d)", MaxListSize)
		}
		if p.peek().kind != tComma {
			break
		}
		p.take()
		if p.peek().kind == tRParen { // allow a trailing comma
			break
		}
	}
	if err := p.expect(tRParen, "')'"); err != nil {
		return nil, err
	}
	return &Cond{Field: f, Op: op, OpAt: at, Values: vals}, nil
}

var literalKinds = map[tokKind]ValueKind{tString: LitString, tNumber: LitNumber, tDate: LitDate,
	tDateTime: LitDateTime, tRelative: LitRelative}

func (p *parser) parseValue() (Value, error) {
	t := p.peek()
	if k, ok := literalKinds[t.kind]; ok {
		p.take()
		return Value{At: t.pos, Kind: k, Text: t.text}, nil
	}
	if t.kind == tIdent {
		switch t.text {
		case "true", "false":
			p.take()
			return Value{At: t.pos, Kind: LitBool, Text: t.text}, nil
		case "today", "now":
			p.take()
			return Value{At: t.pos, Kind: map[string]ValueKind{"today": LitToday, "now": LitNow}[t.text]}, nil
		case "me":
			p.take()
			if err := p.expect(tLParen, "'(' after 'me'"); err != nil {
				return Value{}, err
			}
			if err := p.expect(tRParen, "')' after 'me('"); err != nil {
				return Value{}, err
			}
			return Value{At: t.pos, Kind: LitMe}, nil
		}
		return Value{}, errorf(t.pos, "expected a value, found %s", describe(t)).
			hint("put text in double quotes: %q", t.raw)
	}
	return Value{}, errorf(t.pos, "expected a value, found %s", describe(t))
}

// describe names a token for an error message.
func describe(t token) string {
	switch t.kind {
	case tEOF:
		return "the end of the filter"
	case tString:
		return "text " + Value{Kind: LitString, Text: t.text}.String()
	case tIdent:
		return "'" + t.raw + "'"
	}
	return "'" + strings.TrimSpace(t.raw) + "'"
}
