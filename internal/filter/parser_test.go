package filter

import (
	"reflect"
	"testing"
)

func TestParseCanonical(t *testing.T) {
	tests := []struct{ in, want string }{
		{`name = "x"`, `name = "x"`},
		{`NAME = "x" AND Size>=50`, `name = "x" and size >= 50`},
		{`a = 1 or b = 2 and c = 3`, `a = 1 or b = 2 and c = 3`},
		{`(a = 1 or b = 2) and c = 3`, `(a = 1 or b = 2) and c = 3`},
		{`((a = 1) and (b = 2 and c = 3))`, `a = 1 and b = 2 and c = 3`},
		{`not a = 1 and b = 2`, `not a = 1 and b = 2`},
		{`not (a = 1 and b = 2)`, `not (a = 1 and b = 2)`},
		{`NOT NOT a = 1`, `not not a = 1`},
		{`x in ("a","b",)`, `x in ("a", "b")`},
		{`x NOT IN (1, 2.50, -0, +7, 007)`, `x not in (1, 2.5, 0, 7, 7)`},
		{`x is empty or x IS NOT EMPTY`, `x is empty or x is not empty`},
		{`x ~ "a\"b\\c\n" and x !~ "é"`, `x ~ "a\"b\\c\n" and x !~ "é"`},
		{`d > 2026-01-31 and t <= 2026-01-31T09:30:00.500+02:00`, `d > 2026-01-31 and t <= 2026-01-31T09:30:00.5+02:00`},
		{`d > -30D and d < +2w and t > -6h and m >= -1MO and y < +1y`, `d > -30d and d < +2w and t > -6h and m >= -1mo and y < +1y`},
		{`d = today and t < NOW and owner = Me( )`, `d = today and t < now and owner = me()`},
		{`b = TRUE or b != false`, `b = true or b != false`},
		{`company.custom.tier = "gold"`, `company.custom.tier = "gold"`},
		{"a = 1\n and\tb = 2", `a = 1 and b = 2`},
	}
	for _, tt := range tests {
		e, err := Parse(tt.in)
		if err != nil {
			t.Errorf("Parse(%q): %v", tt.in, err)
			continue
		}
		if got := e.String(); got != tt.want {
			t.Errorf("Parse(%q).String() = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestParseErrors(t *testing.T) {
	tests := []struct{ in, want string }{
		{``, `empty filter at 1:1 — write a condition such as name ~ "acme"`},
		{`(a = 1 and (b = 2 or c = 3)`, `expected ')', found the end of the filter at 1:28`},
		{`a = 1)`, `unexpected ')' at 1:6 — remove it or add a matching '('`},
		{`a = 1 b = 2`, `expected 'and', 'or' or the end of the filter, found 'b' at 1:7`},
		{`lifecycle = lead`, `expected a value, found 'lead' at 1:13 — put text in double quotes: "lead"`},
		{`a == 1`, `unexpected '==' at 1:3 — use '=' to compare`},
		{`a <> 1`, `unexpected '<>' at 1:3 — use '!=' for not equal`},
		{`a ! 1`, `unexpected '!' at 1:3 — use '!=', '!~' or 'not'`},
		{`a = "x`, `unterminated string at 1:5 — close it with '"'`},
		{"a = \"x\ny\"", `unterminated string at 1:5 — close it with '"' on the same line`},
		{`a = "\q"`, `invalid escape in string at 1:5 — use \" \\ \n \t or \uXXXX`},
		{`a > 30d`, `relative date without a sign at 1:5 — write -30d for the past or +30d for the future`},
		{`a > -30x`, `invalid number "-30x" at 1:5 — relative dates use the units h, d, w, mo and y`},
		{`a > -1.5d`, `relative dates take whole numbers at 1:5`},
		{`a > 2026-02-30`, `invalid date "2026-02-30" at 1:5 — dates look like 2026-01-31`},
		{`a > 2026-01-31T25:00:00Z`, `invalid date-time "2026-01-31T25:00:00Z" at 1:5 — date-times look like 2026-01-31T09:30:00Z`},
		{`a is full`, `expected 'empty', found 'full' at 1:6 — write 'is empty' or 'is not empty'`},
		{`a not = 1`, `expected 'in' after 'not', found '=' at 1:7 — to negate a condition write 'not' before the field`},
		{`a in 1`, `expected '(' after 'in', found '1' at 1:6`},
		{`a in ()`, `expected a value, found ')' at 1:7`},
		{`and = 1`, `expected a field name, found 'and' at 1:1`},
		{`a.`, `expected a field name after '.', found the end of the filter at 1:3`},
		{`a`, `expected an operator after 'a', found the end of the filter at 1:2 — use = != < <= > >= ~ !~ in, not in, is empty or is not empty`},
		{`a = me`, `expected '(' after 'me', found the end of the filter at 1:7`},
		{`a = 1 @`, `unexpected character '@' at 1:7`},
		{"a = 1 and\n  b @ 2", `unexpected character '@' at 2:5`},
		{`é = 1`, `unexpected character 'é' at 1:1`},
		{`"é" = 1`, `expected a field name, found text "é" at 1:1`},
	}
	for _, tt := range tests {
		_, err := Parse(tt.in)
		if err == nil || err.Error() != tt.want {
			t.Errorf("Parse(%q) error\n got %v\nwant %s", tt.in, err, tt.want)
		}
	}
}

func TestParseLimits(t *testing.T) {
	deep := ""
	for range MaxDepth + 1 {
		deep += "("
	}
	if _, err := Parse(deep + "a = 1"); err == nil {
		t.Error("deep nesting parsed")
	}
	long := make([]byte, MaxLength+1)
	for i := range long {
		long[i] = ' '
	}
	if _, err := Parse(string(long)); err == nil {
		t.Error("over-long filter parsed")
	}
	if _, err := Parse("a = \"\xff\""); err == nil {
		t.Error("invalid UTF-8 parsed")
	}
}

func TestParsePositions(t *testing.T) {
	// Columns count characters, offsets count bytes.
	e, err := Parse("x = \"éé\" and y = 1 and\n  z = 2")
	if err != nil {
		t.Fatal(err)
	}
	terms := e.(*And).Terms
	if got, want := terms[1].(*Cond).Field.At, (Pos{Offset: 15, Line: 1, Col: 14}); got != want {
		t.Errorf("y at %+v, want %+v", got, want)
	}
	if got, want := terms[2].(*Cond).Field.At, (Pos{Offset: 27, Line: 2, Col: 3}); got != want {
		t.Errorf("z at %+v, want %+v", got, want)
	}
}

func TestFields(t *testing.T) {
	e, err := Parse(`owner = me() and (company.size > 5 or Owner != 3) and custom.region ~ "x"`)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := Fields(e), []string{"owner", "company.size", "custom.region"}; !reflect.DeepEqual(got, want) {
		t.Errorf("Fields = %v, want %v", got, want)
	}
}
