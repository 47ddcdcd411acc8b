package store

import "testing"

func TestRebind(t *testing.T) {
	cases := []struct{ in, want string }{
		{"SELECT 1", "SELECT 1"},
		{"a = ? AND b = ?", "a = $1 AND b = $2"},
		{"x = '?' AND y = ?", "x = '?' AND y = $1"},
		{`"we?ird" = ? -- what?` + "\n AND z = ?", `"we?ird" = $1 -- what?` + "\n AND z = $2"},
	}
	for _, c := range cases {
		if got := rebind(c.in); got != c.want {
			t.Errorf("rebind(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

func TestTablesNamed(t *testing.T) {
	got := tablesNamed("select c.id from contacts c join companies co on co.id = c.company_id")
	if len(got) != 2 || got[0] != "contacts" || got[1] != "companies" {
		t.Fatalf("got %v", got)
	}
}

func TestParseURL(t *testing.T) {
	d, p, err := ParseURL("", "/tmp/x")
	if err != nil || d != SQLite || p != "/tmp/x/tandem.db" {
		t.Fatalf("default: %v %q %v", d, p, err)
	}
	if d, _, err := ParseURL("postgres://u:secret@h/db", ""); err != nil || d != Postgres {
		t.Fatalf("postgres: %v %v", d, err)
	}
	if _, _, err := ParseURL("mysql://x", ""); err == nil {
		t.Fatal("mysql accepted")
	}
	if got := RedactURL("postgres://u:secret@h/db"); got != "postgres://u:xxxxx@h/db" {
		t.Fatalf("redact: %q", got)
	}
}
