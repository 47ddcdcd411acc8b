package search

import (
	"strings"
	"testing"
)

func TestTermsAndTrigrams(t *testing.T) {
	cases := map[string]string{
		"Ada  Lovelace":      "ada|lovelace",
		"+44 (20) 7946-0001": "442079460001",
		"020 7946 0001":      "2079460001", // the national trunk 0 dropped
		"ada@x.io, bob":      "ada@x.io|bob",
	}
	for in, want := range cases {
		if got := strings.Join(terms(in), "|"); got != want {
			t.Errorf("terms(%q) = %q, want %q", in, got, want)
		}
	}
	if got := strings.Join(trigrams("jonh"), ","); got != "jon,onh" {
		t.Errorf("trigrams = %q", got)
	}
	if trigrams("ab") != nil {
		t.Error("short words have no trigrams")
	}
	// User text reaches MATCH only quoted, quotes doubled.
	if got := quote(`a" OR "b`); got != `"a"" OR ""b"` {
		t.Errorf("quote = %s", got)
	}
}

func TestTypoMatch(t *testing.T) {
	cases := map[string]string{
		// Long words: neighbouring trigram pairs, so one typo leaves some intact.
		"thompsen": `("tho" AND "hom") OR ("hom" AND "omp") OR ("omp" AND "mps") OR ("mps" AND "pse") OR ("pse" AND "sen")`,
		// Shorter words: any trigram.
		"willams": `"wil" OR "ill" OR "lla" OR "lam" OR "ams"`,
		"jonh":    `"jon" OR "onh"`,
		"ab":      ``,
	}
	for in, want := range cases {
		if got, _ := typoMatch(terms(in)); got != want {
			t.Errorf("typoMatch(%q) = %s, want %s", in, got, want)
		}
	}
	got, groups := typoMatch([]string{"ann", "lovelase"})
	if got != `"ann" OR ("lov" AND "ove") OR ("ove" AND "vel") OR ("vel" AND "ela") OR ("ela" AND "las") OR ("las" AND "ase")` {
		t.Errorf("two words: %s", got)
	}
	// The same groups for search_typo, which checks them in the name.
	if groups != "ann\nlov ove\nove vel\nvel ela\nela las\nlas ase" {
		t.Errorf("two words' groups: %q", groups)
	}
}

func TestWordMatch(t *testing.T) {
	cases := map[string]string{
		"ann":      `"ann"`,
		"gmail":    `("gma" AND "mai" AND "ail")`,
		"aaaa":     `"aaa"`,                                   // a trigram once
		`o"neil`:   `("o""n" AND """ne" AND "nei" AND "eil")`, // quotes doubled
		"new york": `("new" AND "ew " AND "w y" AND " yo" AND "yor" AND "ork")`,
	}
	for in, want := range cases {
		if got := wordMatch(in); got != want {
			t.Errorf("wordMatch(%q) = %s, want %s", in, got, want)
		}
	}
}

func TestFold(t *testing.T) {
	cases := map[string]string{
		"Müller": "muller", "ÅSE": "ase", "Søren": "soren", "Łukasz": "lukasz", "José": "jose",
		"ANNA@Example.COM": "anna@example.com", "Straße": "straße", "": "",
	}
	for in, want := range cases {
		if got := fold(in); got != want {
			t.Errorf("fold(%q) = %q, want %q", in, got, want)
		}
	}
}

// search_has keeps a candidate only when each word is really in the title
// or the body, folded; search_typo when the name holds a whole group.
func TestCandidateChecks(t *testing.T) {
	has := []struct {
		title, body, words string
		want               bool
	}{
		{"Anna Müller", "anna@gmail.com", "gmail", true},
		{"Anna Müller", "anna@gmail.com", "muller\ngmail", true},
		{"Gmaier Mail", "x@y.z", "gmail", false}, // every trigram, not the word
		{"Anna", "anna@gmail.com", "anna\nzed", false},
		{"ANNA", "", "anna", true},
	}
	for _, c := range has {
		if got := hasAll(fold(c.title), fold(c.body), c.words); got != c.want {
			t.Errorf("hasAll(%q, %q, %q) = %v", c.title, c.body, c.words, got)
		}
	}
	typo := []struct {
		title, groups string
		want          bool
	}{
		{"Thompson", "tho hom\nhom omp", true},
		{"Thames Homer", "tho hom", false},
		{"Tom Homer", "tom\nxyz", true},
		{"Jürgen", "jur", true},
	}
	for _, c := range typo {
		if got := typoHolds(fold(c.title), c.groups); got != c.want {
			t.Errorf("typoHolds(%q, %q) = %v", c.title, c.groups, got)
		}
	}
}
