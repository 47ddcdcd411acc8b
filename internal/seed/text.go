package seed

import (
	"math/rand/v2"
	"strings"
	"unicode"
)

// foldMap spells accented letters the way people do in email addresses.
var foldMap = map[rune]string{
	'ä': "ae", 'ö': "oe", 'ü': "ue", 'ß': "ss", 'å': "a", 'æ': "ae", 'ø': "o",
	'á': "a", 'à': "a", 'â': "a", 'ã': "a", 'é': "e", 'è': "e", 'ê': "e", 'ë': "e",
	'í': "i", 'ì': "i", 'î': "i", 'ï': "i", 'ó': "o", 'ò': "o", 'ô': "o", 'õ': "o",
	'ú': "u", 'ù': "u", 'û': "u", 'ñ': "n", 'ç': "c", 'ł': "l", 'ś': "s", 'ź': "z",
	'ż': "z", 'ć': "c", 'ń': "n", 'ą': "a", 'ę': "e",
}

// fold lower-cases s and keeps only [a-z0-9], spelling accents out in ASCII:
// "Müller" → "mueller", "De Luca" → "deluca", "O'Brien" → "obrien".
func fold(s string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(s) {
		switch {
		case r < unicode.MaxASCII && (unicode.IsLetter(r) || unicode.IsDigit(r)):
			b.WriteRune(r)
		default:
			b.WriteString(foldMap[r]) // "" for spaces, dots and the rest
		}
	}
	return b.String()
}

// pick returns a random element of list.
func pick[T any](r *rand.Rand, list []T) T { return list[r.IntN(len(list))] }

// chance reports true with probability p.
func chance(r *rand.Rand, p float64) bool { return r.Float64() < p }

// pickLocale draws a locale index by weight.
func pickLocale(r *rand.Rand) int {
	total := 0
	for _, l := range locales {
		total += l.weight
	}
	n := r.IntN(total)
	for i, l := range locales {
		if n < l.weight {
			return i
		}
		n -= l.weight
	}
	return 0
}

// digits returns n random decimal digits.
func digits(r *rand.Rand, n int) string {
	b := make([]byte, n)
	for i := range b {
		b[i] = byte('0' + r.IntN(10))
	}
	return string(b)
}
