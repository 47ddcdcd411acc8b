package filter

import (
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/tandemcrm/tandem/internal/crm"
)

// val is a literal checked against the type of its field. Values that depend
// on the moment or the person keep their kind and are resolved by an Env.
type val struct {
	at   Pos
	kind ValueKind
	s    string // Text and Tags: ASCII-folded; Enum: the schema's spelling; Date: YYYY-MM-DD
	n    num    // Number
	i    int64  // Money (minor units), Ref/User ids, DateTime literal (micros)
	b    bool   // Bool
	rel  relative
}

// num is a number literal: an exact int64 when it has no fraction.
type num struct {
	i       int64
	f       float64
	isFloat bool
}

func (n num) float() float64 {
	if n.isFloat {
		return n.f
	}
	return float64(n.i)
}

type relative struct {
	n    int
	unit string // h d w mo y
}

// checkValue converts literal v for the field bound by b.
func checkValue(b binding, v Value) (val, error) {
	t := b.field.Type
	out := val{at: v.At, kind: v.Kind}
	mismatch := func() error {
		e := errorf(v.At, "cannot compare %s field '%s' with %s", t, b.name, describeValue(v))
		return e.hint("%s", valueHint(t))
	}
	switch t {
	case Text, Tags, Enum:
		if v.Kind != LitString {
			return out, mismatch()
		}
		return checkText(b, v, out)
	case Number, Money:
		if v.Kind != LitNumber {
			return out, mismatch()
		}
		return checkNumber(b, v, out)
	case Bool:
		if v.Kind != LitBool {
			return out, mismatch()
		}
		out.b = v.Text == "true"
	case Ref, User:
		return checkRef(b, v, out, mismatch)
	case Date, DateTime:
		return checkTime(b, v, out, mismatch)
	}
	return out, nil
}

func checkText(b binding, v Value, out val) (val, error) {
	if v.Text == "" {
		return out, errorf(v.At, "empty text never matches").hint("use '%s is empty' or '%s is not empty'", b.name, b.name)
	}
	if strings.IndexByte(v.Text, 0) >= 0 {
		return out, errorf(v.At, "text may not contain a NUL character")
	}
	if b.field.Type != Enum {
		out.s = fold(v.Text)
		return out, nil
	}
	for _, allowed := range b.field.Values {
		if strings.EqualFold(allowed, v.Text) {
			out.s = allowed
			return out, nil
		}
	}
	e := errorf(v.At, "%q is not a value of '%s'", v.Text, b.name)
	if s := suggest(v.Text, b.field.Values); s != "" {
		return out, e.hint("did you mean %q?", s)
	}
	return out, e.hint("choose one of: %s", strings.Join(b.field.Values, ", "))
}

func checkNumber(b binding, v Value, out val) (val, error) {
	if b.field.Type == Money {
		scale := b.field.Scale
		if scale == 0 {
			scale = 2
		}
		minor, ok := minorUnits(v.Text, scale)
		if !ok {
			return out, errorf(v.At, "invalid amount %s", v.Text).
				hint("amounts are in major units with at most %d decimals, like 1250.50", scale)
		}
		out.i = minor
		return out, nil
	}
	if i, err := strconv.ParseInt(v.Text, 10, 64); err == nil {
		out.n = num{i: i}
		return out, nil
	}
	f, err := strconv.ParseFloat(v.Text, 64)
	if err != nil || math.IsInf(f, 0) || (!strings.Contains(v.Text, ".") && math.Abs(f) >= 1<<63) {
		return out, errorf(v.At, "number %s is out of range", v.Text)
	}
	out.n = num{f: f, isFloat: true}
	return out, nil
}

// minorUnits converts a decimal in major units to an exact integer of minor
// units, refusing more decimals than the currency has.
func minorUnits(s string, scale int) (int64, bool) {
	intPart, frac, _ := strings.Cut(s, ".")
	if len(frac) > scale {
		return 0, false
	}
	frac += strings.Repeat("0", scale-len(frac))
	neg := strings.HasPrefix(intPart, "-")
	digits := strings.TrimPrefix(intPart, "-") + frac
	n, err := strconv.ParseInt(digits, 10, 64)
	if err != nil {
		return 0, false
	}
	if neg {
		n = -n
	}
	return n, true
}

func checkRef(b binding, v Value, out val, mismatch func() error) (val, error) {
	switch v.Kind {
	case LitMe:
		if b.field.Type != User {
			return out, mismatch()
		}
		return out, nil
	case LitNumber, LitString:
		id, err := strconv.ParseInt(v.Text, 10, 64)
		if err != nil || id <= 0 {
			return out, errorf(v.At, "invalid id %s", v.String()).hint("ids are positive whole numbers")
		}
		out.i = id
		return out, nil
	}
	return out, mismatch()
}

func checkTime(b binding, v Value, out val, mismatch func() error) (val, error) {
	isDate := b.field.Type == Date
	switch v.Kind {
	case LitDate:
		out.s = v.Text
	case LitToday:
	case LitNow:
		if isDate {
			return out, errorf(v.At, "'now' is a moment, '%s' is a date", b.name).hint("use today")
		}
	case LitDateTime:
		if isDate {
			return out, mismatch()
		}
		t, _ := time.Parse(time.RFC3339Nano, v.Text) // the lexer validated it
		out.i = t.UnixMicro()
	case LitRelative:
		n, err := strconv.Atoi(v.Text[1 : len(v.Text)-len(unitOf(v.Text))])
		if err != nil || n > 100_000 {
			return out, errorf(v.At, "relative date %s is out of range", v.Text)
		}
		if v.Text[0] == '-' {
			n = -n
		}
		out.rel = relative{n: n, unit: unitOf(v.Text)}
		if isDate && out.rel.unit == "h" {
			return out, errorf(v.At, "hours do not apply to date field '%s'", b.name).hint("use d, w, mo or y")
		}
	default:
		return out, mismatch()
	}
	return out, nil
}

func unitOf(rel string) string {
	if strings.HasSuffix(rel, "mo") {
		return "mo"
	}
	return rel[len(rel)-1:]
}

func describeValue(v Value) string {
	names := map[ValueKind]string{LitString: "text", LitNumber: "number", LitBool: "yes/no", LitDate: "date",
		LitDateTime: "date-time", LitRelative: "relative date"}
	if n, ok := names[v.Kind]; ok {
		return n + " " + v.String()
	}
	return v.String()
}

func valueHint(t Type) string {
	switch t {
	case Text, Tags, Enum:
		return `put text in double quotes, like "EMEA"`
	case Number:
		return "use a number, like 50 or 12.5"
	case Money:
		return "use an amount in major units, like 5000 or 1250.50"
	case Bool:
		return "use true or false"
	case Ref:
		return "use an id, like 1234"
	case User:
		return "use me() or a user id"
	case Date:
		return "use a date (2026-01-31), today, or a relative date (-30d, +2w)"
	}
	return "use a date (2026-01-31), a date-time (2026-01-31T09:30:00Z), today, now, or a relative date (-30d, -6h)"
}

// Env is what a filter needs from the moment it runs: who "me()" is, when
// "now" is, and the time zone that decides where "today" starts.
type Env struct {
	UserID   crm.ID
	Now      time.Time      // zero means time.Now(); pass Tx.Now
	Location *time.Location // nil means UTC
	// Narrow, when set, is asked for every "contains" condition (~, not
	// negated) on a built-in text field of the filtered object: it may
	// return an SQL condition that holds for every record whose field
	// contains value — a superset from a text index, "{t}" standing for
	// the table alias — which the compiler ANDs with the exact condition,
	// so the result never changes, only how the database finds it. ""
	// means no narrowing.
	Narrow func(field, value string) (cond string, args []any)
}

func (e Env) now() time.Time {
	t := e.Now
	if t.IsZero() {
		t = time.Now()
	}
	loc := e.Location
	if loc == nil {
		loc = time.UTC
	}
	return t.In(loc)
}

// resolved is a val made concrete by an Env.
type resolved struct {
	val
	lo, hi int64 // DateTime: the half-open interval [lo, hi) in micros
}

func (v val) resolve(t Type, env Env) (resolved, error) {
	r := resolved{val: v}
	switch {
	case v.kind == LitMe:
		if env.UserID == 0 {
			return r, errorf(v.at, "me() needs a signed-in user")
		}
		r.i = int64(env.UserID)
	case t == Date:
		r.s = v.day(env).Format(time.DateOnly)
	case t == DateTime:
		r.lo, r.hi = v.interval(env)
	}
	return r, nil
}

// day is the calendar day a date value names, in env's time zone.
func (v val) day(env Env) time.Time {
	now := env.now()
	today := time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, now.Location())
	switch v.kind {
	case LitDate:
		d, _ := time.ParseInLocation(time.DateOnly, v.s, now.Location())
		return d
	case LitRelative:
		return v.rel.add(today)
	}
	return today
}

// interval is the span a value covers on a date-time field: one microsecond
// for a moment, a whole day (in env's time zone) for a date or today, so
// "created_at = today" and "created_at < 2026-01-31" mean what they say.
func (v val) interval(env Env) (int64, int64) {
	now := env.now()
	switch v.kind {
	case LitDateTime:
		return v.i, v.i + 1
	case LitNow:
		return now.UnixMicro(), now.UnixMicro() + 1
	case LitRelative:
		t := v.rel.add(now).UnixMicro()
		return t, t + 1
	}
	d := v.day(env)
	return d.UnixMicro(), d.AddDate(0, 0, 1).UnixMicro()
}

// add moves t by the offset, in calendar units so "-1mo" respects month
// lengths (as time.AddDate normalises them) and days respect DST.
func (r relative) add(t time.Time) time.Time {
	switch r.unit {
	case "h":
		return t.Add(time.Duration(r.n) * time.Hour)
	case "d":
		return t.AddDate(0, 0, r.n)
	case "w":
		return t.AddDate(0, 0, 7*r.n)
	case "mo":
		return t.AddDate(0, r.n, 0)
	}
	return t.AddDate(r.n, 0, 0)
}

// fold lower-cases ASCII letters only: SQLite's lower() and LIKE know no
// other case, and all three implementations must agree.
func fold(s string) string {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c >= 'A' && c <= 'Z' {
			b := []byte(s)
			for j := i; j < len(b); j++ {
				if b[j] >= 'A' && b[j] <= 'Z' {
					b[j] += 'a' - 'A'
				}
			}
			return string(b)
		}
	}
	return s
}
