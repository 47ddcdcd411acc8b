package records

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// Emails and phone numbers are written with their labels as
// "+44 7700 900001 (mobile)" or "ada@example.com (home)" wherever they are
// text: the record page's other emails and phones, and import and export
// cells (docs/IMPORT.md, "Labels").

// SplitLabel splits a trailing label off an address or number: up to 30
// letters, spaces, dots or hyphens in brackets at the end. A number's
// "(757)" area code has digits and is never last, so it stays.
func SplitLabel(v string) (value, label string) {
	v = strings.TrimSpace(v)
	if strings.HasSuffix(v, ")") {
		if i := strings.LastIndex(v, " ("); i > 0 {
			label := strings.TrimSpace(v[i+2 : len(v)-1])
			ok := label != "" && utf8.RuneCountInString(label) <= 30
			for _, r := range label {
				ok = ok && (unicode.IsLetter(r) || r == ' ' || r == '-' || r == '.')
			}
			if ok {
				return strings.TrimSpace(v[:i]), label
			}
		}
	}
	return v, ""
}

// WithLabel writes an address or number with its label, as SplitLabel
// reads it back. A label it would not read as one (digits, brackets) is
// left out.
func WithLabel(v, label string) string {
	if label == "" {
		return v
	}
	if v2, l := SplitLabel(v + " (" + label + ")"); v2 != v || l != label {
		return v
	}
	return v + " (" + label + ")"
}

// SplitLabelled reads a list of labelled addresses or numbers, separated by
// commas, semicolons or bars: "b@example.com (home); c@example.com".
func SplitLabelled(v string) [][2]string {
	var out [][2]string
	for _, part := range strings.FieldsFunc(v, func(r rune) bool { return r == ',' || r == ';' || r == '|' }) {
		if val, label := SplitLabel(part); val != "" {
			out = append(out, [2]string{val, label})
		}
	}
	return out
}
