package search

import (
	"database/sql/driver"
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
	"modernc.org/sqlite"
)

// SQLite's search_index_fts (migration 00041) knows which documents hold which
// trigrams, not where: it cannot tell "gmail" from "gma…mai…ail", nor a
// name from the rest of a document. These two functions, registered with
// the driver, check the candidates it finds:
//
//	search_has(title, body, words)  1 when every word (one a line) is in the
//	                                title or in the body
//	search_typo(title, groups)      1 when the title holds every trigram of
//	                                some group (one a line, trigrams
//	                                separated by spaces)
//
// Both compare folded text (fold), as the trigram tokenizer does with
// remove_diacritics 1: what search_index_fts finds for a word, they keep when the
// word is really there.
func init() {
	sqlite.MustRegisterDeterministicScalarFunction("search_has", 3, func(_ *sqlite.FunctionContext, args []driver.Value) (driver.Value, error) {
		title, body, words := text(args[0]), text(args[1]), text(args[2])
		return boolInt(hasAll(fold(title), fold(body), words)), nil
	})
	sqlite.MustRegisterDeterministicScalarFunction("search_typo", 2, func(_ *sqlite.FunctionContext, args []driver.Value) (driver.Value, error) {
		return boolInt(typoHolds(fold(text(args[0])), text(args[1]))), nil
	})
}

func hasAll(title, body, words string) bool {
	for w := range strings.SplitSeq(words, "\n") {
		w = fold(w)
		if !strings.Contains(title, w) && !strings.Contains(body, w) {
			return false
		}
	}
	return true
}

func typoHolds(title, groups string) bool {
	for g := range strings.SplitSeq(groups, "\n") {
		all := true
		for t := range strings.SplitSeq(g, " ") {
			all = all && strings.Contains(title, fold(t))
		}
		if all {
			return true
		}
	}
	return false
}

func text(v driver.Value) string {
	switch v := v.(type) {
	case string:
		return v
	case []byte:
		return string(v)
	case nil:
		return ""
	default:
		return fmt.Sprint(v)
	}
}

func boolInt(b bool) int64 {
	if b {
		return 1
	}
	return 0
}

// fold lower-cases s and takes the marks off its letters ("Müller" →
// "muller", "ÅSE" → "ase"), as FTS5's trigram tokenizer folds text with
// remove_diacritics 1; letters it folds that have no decomposition are
// mapped by hand ("ø" → "o"). ASCII is returned at once.
func fold(s string) string {
	ascii := true
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			ascii = false
			break
		}
	}
	if ascii {
		return strings.ToLower(s)
	}
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range norm.NFD.String(s) {
		switch {
		case unicode.Is(unicode.Mn, r):
		case foldExtra[unicode.ToLower(r)] != 0:
			b.WriteRune(foldExtra[unicode.ToLower(r)])
		default:
			b.WriteRune(unicode.ToLower(r))
		}
	}
	return b.String()
}

// foldExtra are letters with a stroke or a bar, which Unicode does not
// decompose and FTS5 still folds to their base letter.
var foldExtra = map[rune]rune{'ø': 'o', 'ł': 'l', 'đ': 'd', 'ħ': 'h', 'ŧ': 't', 'ƀ': 'b', 'ɨ': 'i', 'ʉ': 'u'}
