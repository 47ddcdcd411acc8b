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
		if got := typoMatch(terms(in)); got != want {
			t.Errorf("typoMatch(%q) = %s, want %s", in, got, want)
		}
	}
	if got := typoMatch([]string{"ann", "lovelase"}); got != `"ann" OR ("lov" AND "ove") OR ("ove" AND "vel") OR ("vel" AND "ela") OR ("ela" AND "las") OR ("las" AND "ase")` {
		t.Errorf("two words: %s", got)
	}
}
