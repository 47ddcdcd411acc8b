package filter

import (
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

type tokKind int

const (
	tEOF tokKind = iota
	tIdent
	tString
	tNumber
	tDate
	tDateTime
	tRelative
	tOp
	tLParen
	tRParen
	tComma
	tDot
)

// token is one lexeme. text is the canonical form of literals (the unquoted
// string, the normalised number, the reformatted date-time) and the lower-cased
// name of identifiers, so keywords and field names are case-insensitive.
type token struct {
	kind tokKind
	text string
	raw  string // as written, for messages
	pos  Pos
}

// Limits keep hostile input cheap: the parser is recursive and the SQL has a
// bounded number of parameters.
const (
	MaxLength   = 8 << 10
	MaxDepth    = 32
	MaxListSize = 500
)

type lexer struct {
	src  string
	off  int
	line int
	col  int
	toks []token
}

// lex splits src into tokens, ending with tEOF.
func lex(src string) ([]token, error) {
	l := &lexer{src: src, line: 1, col: 1}
	if len(src) > MaxLength {
		return nil, errorf(l.pos(), "filter is too long (%d bytes, the limit is %d)", len(src), MaxLength)
	}
	if !utf8.ValidString(src) {
		return nil, errorf(l.pos(), "filter is not valid UTF-8")
	}
	for {
		l.skipSpace()
		if l.off >= len(l.src) {
			l.toks = append(l.toks, token{kind: tEOF, pos: l.pos()})
			return l.toks, nil
		}
		if err := l.next(); err != nil {
			return nil, err
		}
	}
}

func (l *lexer) pos() Pos { return Pos{Offset: l.off, Line: l.line, Col: l.col} }

// advance moves over n bytes, keeping line and column in step.
func (l *lexer) advance(n int) {
	for _, r := range l.src[l.off : l.off+n] {
		if r == '\n' {
			l.line++
			l.col = 1
		} else {
			l.col++
		}
	}
	l.off += n
}

func (l *lexer) skipSpace() {
	for l.off < len(l.src) && strings.IndexByte(" \t\r\n", l.src[l.off]) >= 0 {
		l.advance(1)
	}
}

func (l *lexer) emit(kind tokKind, text string, p Pos) {
	l.toks = append(l.toks, token{kind: kind, text: text, raw: l.src[p.Offset:l.off], pos: p})
}

func (l *lexer) peekAt(i int) byte {
	if l.off+i < len(l.src) {
		return l.src[l.off+i]
	}
	return 0
}

func (l *lexer) next() error {
	p := l.pos()
	c := l.src[l.off]
	switch {
	case c == '(' || c == ')' || c == ',' || c == '.':
		l.advance(1)
		l.emit(map[byte]tokKind{'(': tLParen, ')': tRParen, ',': tComma, '.': tDot}[c], string(c), p)
		return nil
	case c == '"':
		return l.lexString(p)
	case strings.IndexByte("=!<>~", c) >= 0:
		return l.lexOp(p)
	case isDigit(c):
		return l.lexNumberOrDate(p)
	case (c == '-' || c == '+') && isDigit(l.peekAt(1)):
		return l.lexSigned(p)
	case isIdentStart(c):
		n := 1
		for l.off+n < len(l.src) && isIdentPart(l.src[l.off+n]) {
			n++
		}
		l.advance(n)
		l.emit(tIdent, strings.ToLower(l.src[p.Offset:l.off]), p)
		return nil
	}
	r, _ := utf8.DecodeRuneInString(l.src[l.off:])
	return errorf(p, "unexpected character %q", r)
}

func (l *lexer) lexOp(p Pos) error {
	two := l.src[l.off:min(l.off+2, len(l.src))]
	switch two {
	case "!=", "<=", ">=", "!~":
		l.advance(2)
		l.emit(tOp, two, p)
		return nil
	case "==":
		return errorf(p, "unexpected '=='").hint("use '=' to compare")
	case "<>":
		return errorf(p, "unexpected '<>'").hint("use '!=' for not equal")
	}
	if l.src[l.off] == '!' {
		return errorf(p, "unexpected '!'").hint("use '!=', '!~' or 'not'")
	}
	l.advance(1)
	l.emit(tOp, l.src[p.Offset:l.off], p)
	return nil
}

// lexString reads a double-quoted string with Go/JSON-style escapes (\" \\ \n
// \t \uXXXX …). strconv.Quote prints what strconv.Unquote reads, which keeps
// the canonical printer and the parser exact inverses.
func (l *lexer) lexString(p Pos) error {
	i := l.off + 1
	for ; i < len(l.src); i++ {
		switch l.src[i] {
		case '\\':
			i++
			continue
		case '\n':
			return errorf(p, "unterminated string").hint("close it with '\"' on the same line")
		case '"':
			s, err := strconv.Unquote(l.src[l.off : i+1])
			if err != nil {
				return errorf(p, "invalid escape in string").hint(`use \" \\ \n \t or \uXXXX`)
			}
			l.advance(i + 1 - l.off)
			l.emit(tString, s, p)
			return nil
		}
	}
	return errorf(p, "unterminated string").hint("close it with '\"'")
}

func (l *lexer) digits(from int) int {
	n := from
	for l.off+n < len(l.src) && isDigit(l.src[l.off+n]) {
		n++
	}
	return n
}

func (l *lexer) lexNumberOrDate(p Pos) error {
	if l.isDateAhead() {
		return l.lexDate(p)
	}
	n, err := l.numberLen(0)
	if err != nil {
		return err
	}
	if u := l.unitAt(n); u != "" {
		return errorf(p, "relative date without a sign").hint("write -%s%s for the past or +%s%s for the future",
			l.src[l.off:l.off+n], u, l.src[l.off:l.off+n], u)
	}
	l.advance(n)
	l.emit(tNumber, normNumber(l.src[p.Offset:l.off]), p)
	return nil
}

// numberLen measures digits[.digits] starting at from.
func (l *lexer) numberLen(from int) (int, error) {
	n := l.digits(from)
	if l.peekAt(n) == '.' && isDigit(l.peekAt(n+1)) {
		n = l.digits(n + 1)
	}
	if isIdentStart(l.peekAt(n)) && l.unitAt(n) == "" {
		return 0, errorf(l.pos(), "invalid number %q", l.src[l.off:l.off+n+1]).
			hint("relative dates use the units h, d, w, mo and y")
	}
	return n, nil
}

// unitAt returns the relative-date unit spelled at offset n, if any.
func (l *lexer) unitAt(n int) string {
	e := n
	for l.off+e < len(l.src) && isIdentPart(l.src[l.off+e]) {
		e++
	}
	u := strings.ToLower(l.src[l.off+n : l.off+e])
	if _, ok := units[u]; ok {
		return u
	}
	return ""
}

var units = map[string]bool{"h": true, "d": true, "w": true, "mo": true, "y": true}

func (l *lexer) lexSigned(p Pos) error {
	n, err := l.numberLen(1)
	if err != nil {
		return err
	}
	if u := l.unitAt(n); u != "" {
		if strings.Contains(l.src[l.off:l.off+n], ".") {
			return errorf(p, "relative dates take whole numbers")
		}
		l.advance(n + len(u))
		l.emit(tRelative, l.src[p.Offset:p.Offset+1]+normNumber(l.src[p.Offset+1:p.Offset+n])+u, p)
		return nil
	}
	l.advance(n)
	l.emit(tNumber, normNumber(l.src[p.Offset:l.off]), p)
	return nil
}

func (l *lexer) isDateAhead() bool {
	s := l.src[l.off:]
	return len(s) >= 10 && l.digits(0) == 4 && s[4] == '-' && isDigit(s[5]) && isDigit(s[6]) &&
		s[7] == '-' && isDigit(s[8]) && isDigit(s[9])
}

// lexDate reads YYYY-MM-DD, or an RFC 3339 date-time when a 'T' follows.
func (l *lexer) lexDate(p Pos) error {
	n := 10
	if l.peekAt(n) != 'T' {
		if isIdentPart(l.peekAt(n)) {
			return errorf(p, "invalid date %q", l.src[l.off:l.off+n+1]).hint("dates look like 2026-01-31")
		}
		if _, err := time.Parse(time.DateOnly, l.src[l.off:l.off+n]); err != nil {
			return errorf(p, "invalid date %q", l.src[l.off:l.off+n]).hint("dates look like 2026-01-31")
		}
		l.advance(n)
		l.emit(tDate, l.src[p.Offset:l.off], p)
		return nil
	}
	for l.off+n < len(l.src) && strings.IndexByte("0123456789:.+-TZ", l.src[l.off+n]) >= 0 {
		n++
	}
	t, err := time.Parse(time.RFC3339Nano, l.src[l.off:l.off+n])
	if err != nil || isIdentPart(l.peekAt(n)) {
		return errorf(p, "invalid date-time %q", l.src[l.off:l.off+n]).hint("date-times look like 2026-01-31T09:30:00Z")
	}
	l.advance(n)
	l.emit(tDateTime, t.Format(time.RFC3339Nano), p)
	return nil
}

// normNumber writes a decimal in one canonical way: no '+', no leading zeros,
// no trailing fractional zeros, no "-0".
func normNumber(s string) string {
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimLeft(s, "+-")
	intPart, frac, _ := strings.Cut(s, ".")
	intPart = strings.TrimLeft(intPart, "0")
	if intPart == "" {
		intPart = "0"
	}
	frac = strings.TrimRight(frac, "0")
	out := intPart
	if frac != "" {
		out += "." + frac
	}
	if neg && out != "0" {
		out = "-" + out
	}
	return out
}

func isDigit(c byte) bool      { return c >= '0' && c <= '9' }
func isIdentStart(c byte) bool { return c == '_' || (c|0x20 >= 'a' && c|0x20 <= 'z') }
func isIdentPart(c byte) bool  { return isIdentStart(c) || isDigit(c) }
