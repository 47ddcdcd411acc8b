package importer

import (
	"testing"

	"github.com/tandemcrm/tandem/internal/records"
)

// TestLabelled: a trailing "(label)" of letters is the value's label; an
// area code in brackets, digits or brackets in the label, or nothing, are
// not, and then the column's header may name one.
func TestLabelled(t *testing.T) {
	cases := []struct{ in, header, value, label string }{
		{"+1 555 0100 (mobile)", "", "+1 555 0100", "mobile"},
		{"(757) 555-0188", "", "(757) 555-0188", ""},
		{"(757) 555-0188 (Main Office)", "", "(757) 555-0188", "Main Office"},
		{"+1 555 0100 (ext 12)", "", "+1 555 0100 (ext 12)", ""},
		{"ada@example.com (work)", "Personal Email", "ada@example.com", "work"},
		{"ada@example.com", "Personal Email", "ada@example.com", "home"},
		{"+49 171 555", "Mobile Phone", "+49 171 555", "mobile"},
		{"+49 171 555", "Handy", "+49 171 555", "mobile"},
		{"+49 30 555", "Business Phone", "+49 30 555", "work"},
		{"+49 30 555", "Business Fax", "+49 30 555", "fax"},
		{"+49 30 555", "Fax", "+49 30 555", "fax"},
		{"+49 30 555", "Phone Number", "+49 30 555", ""},
		{"x ()", "", "x ()", ""},
		{"+1 555 (a-very-long-label-that-goes-on-and-on)", "", "+1 555 (a-very-long-label-that-goes-on-and-on)", ""},
	}
	for _, c := range cases {
		if v, l := labelled(c.in, headerLabel(c.header)); v != c.value || l != c.label {
			t.Errorf("labelled(%q, %q) = %q, %q; want %q, %q", c.in, c.header, v, l, c.value, c.label)
		}
	}
	got := splitEmails("a@example.com (home); b@example.com c@example.com, d@example.com (work)", "")
	want := []records.EmailAddr{{Email: "a@example.com", Label: "home"}, {Email: "b@example.com"}, {Email: "c@example.com"},
		{Email: "d@example.com", Label: "work"}}
	if len(got) != len(want) {
		t.Fatalf("splitEmails: %+v", got)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("splitEmails: %+v, want %+v", got, want)
		}
	}
	// What the export writes, the import reads back; a label it would not
	// read as one is left out.
	for _, c := range []struct{ v, label, want string }{
		{"+1 555", "mobile", "+1 555 (mobile)"}, {"+1 555", "", "+1 555"}, {"+1 555", "line 2", "+1 555"}, {"+1 555", "a(b)", "+1 555"},
	} {
		if got := records.WithLabel(c.v, c.label); got != c.want {
			t.Errorf("records.WithLabel(%q, %q) = %q, want %q", c.v, c.label, got, c.want)
		}
	}
}

// FuzzLabelled: what records.WithLabel writes, labelled reads back as it was
// written; labelled never panics and never returns more than it was given.
func FuzzLabelled(f *testing.F) {
	for _, s := range [][2]string{{"+1 555 0100", "mobile"}, {"(757) 555-0188", "Main Office"}, {"a@b.c (x)", "home"}, {"", "work"}, {"x", "(y)"}} {
		f.Add(s[0], s[1])
	}
	f.Fuzz(func(t *testing.T, v, label string) {
		got, l := labelled(v, "")
		if len(got)+len(l) > len(v) {
			t.Fatalf("labelled(%q) = %q, %q", v, got, l)
		}
		w := records.WithLabel(v, label)
		if w == v {
			return
		}
		if got, l := labelled(w, ""); got != v || l != label {
			t.Fatalf("records.WithLabel(%q, %q) = %q, read back as %q, %q", v, label, w, got, l)
		}
	})
}
