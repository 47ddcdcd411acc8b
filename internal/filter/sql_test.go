package filter

import (
	"reflect"
	"strings"
	"testing"

	"github.com/tandemcrm/tandem/internal/store"
)

func TestSQL(t *testing.T) {
	const pgFold = "translate(contacts.email, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ', 'abcdefghijklmnopqrstuvwxyz')"
	tests := []struct {
		in         string
		sqlite, pg string
		sqlArgs    []any // the same in both dialects
	}{
		{
			in:      `email ~ "50%_off" and not lifecycle in ("LEAD", "customer")`,
			sqlite:  `(((contacts.email LIKE ? ESCAPE '\') AND (contacts.lifecycle IS NULL OR NOT (contacts.lifecycle IN (?, ?)))))`,
			pg:      `(((` + pgFold + ` LIKE ? ESCAPE '\') AND (contacts.lifecycle IS NULL OR NOT (contacts.lifecycle IN (?, ?)))))`,
			sqlArgs: []any{`%50\%\_off%`, "lead", "customer"},
		},
		{
			in:      `email = "Ann@X.io" or email is empty`,
			sqlite:  `(((lower(contacts.email) = ?) OR (contacts.email IS NULL OR contacts.email = '')))`,
			pg:      `(((` + pgFold + ` = ?) OR (contacts.email IS NULL OR contacts.email = '')))`,
			sqlArgs: []any{"ann@x.io"},
		},
		{
			in: `owner != me() or company.size < 2.5`,
			sqlite: `(((contacts.owner_id IS NULL OR NOT (contacts.owner_id = ?)) OR EXISTS (SELECT 1 FROM companies AS r_company ` +
				`WHERE r_company.workspace_id = contacts.workspace_id AND r_company.id = contacts.company_id AND (r_company.size < ?))))`,
			pg: `(((contacts.owner_id IS NULL OR NOT (contacts.owner_id = ?)) OR EXISTS (SELECT 1 FROM companies AS r_company ` +
				`WHERE r_company.workspace_id = contacts.workspace_id AND r_company.id = contacts.company_id AND (r_company.size < CAST(? AS DOUBLE PRECISION)))))`,
			sqlArgs: []any{int64(7), 2.5},
		},
		{
			in: `not (company.name = "Acme" and custom.vip = true)`,
			sqlite: `((NOT EXISTS (SELECT 1 FROM companies AS r_company WHERE r_company.workspace_id = contacts.workspace_id AND r_company.id = contacts.company_id AND (lower(r_company.name) = ?)) OR ` +
				`((CASE WHEN json_type(contacts.custom, '$.vip') IN ('true', 'false') THEN json_extract(contacts.custom, '$.vip') END) IS NULL OR NOT ((CASE WHEN json_type(contacts.custom, '$.vip') IN ('true', 'false') THEN json_extract(contacts.custom, '$.vip') END) = ?))))`,
			pg: `((NOT EXISTS (SELECT 1 FROM companies AS r_company WHERE r_company.workspace_id = contacts.workspace_id AND r_company.id = contacts.company_id AND (translate(r_company.name, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ', 'abcdefghijklmnopqrstuvwxyz') = ?)) OR ` +
				`((CASE WHEN jsonb_typeof(contacts.custom->'vip') = 'boolean' THEN (contacts.custom->>'vip')::boolean END) IS NULL OR NOT ((CASE WHEN jsonb_typeof(contacts.custom->'vip') = 'boolean' THEN (contacts.custom->>'vip')::boolean END) = ?))))`,
			sqlArgs: []any{"acme", true},
		},
		{
			// propEnv's "today" is 2026-03-14 in UTC-5; a date on a date-time
			// field covers that whole local day.
			in:      `created_at = 2026-03-01 and created_at < today`,
			sqlite:  `(((contacts.created_at <> 0 AND contacts.created_at >= ? AND contacts.created_at < ?) AND (contacts.created_at <> 0 AND contacts.created_at < ?)))`,
			pg:      `(((contacts.created_at <> 0 AND contacts.created_at >= ? AND contacts.created_at < ?) AND (contacts.created_at <> 0 AND contacts.created_at < ?)))`,
			sqlArgs: []any{int64(1772341200000000), int64(1772427600000000), int64(1773464400000000)},
		},
		{
			in:      `custom.labels in ("VIP", "gold")`,
			sqlite:  `(EXISTS (SELECT 1 FROM json_each((CASE WHEN json_type(contacts.custom, '$.labels') IN ('array') THEN json_extract(contacts.custom, '$.labels') END)) AS e WHERE e.type = 'text' AND lower(e.value) IN (?, ?)))`,
			pg:      `(EXISTS (SELECT 1 FROM jsonb_array_elements((CASE WHEN jsonb_typeof(contacts.custom->'labels') = 'array' THEN contacts.custom->'labels' END)) AS e(v) WHERE jsonb_typeof(e.v) = 'string' AND translate(e.v #>> '{}', 'ABCDEFGHIJKLMNOPQRSTUVWXYZ', 'abcdefghijklmnopqrstuvwxyz') IN (?, ?)))`,
			sqlArgs: []any{"vip", "gold"},
		},
	}
	for _, tt := range tests {
		f, err := New(contactSchema, tt.in)
		if err != nil {
			t.Fatalf("New(%q): %v", tt.in, err)
		}
		for _, d := range []store.Dialect{store.SQLite, store.Postgres} {
			want, wantArgs := tt.sqlite, tt.sqlArgs
			if d == store.Postgres {
				want = tt.pg
			}
			got, args, err := f.SQL(d, propEnv)
			if err != nil {
				t.Fatalf("%s: %v", d, err)
			}
			if got != want {
				t.Errorf("%s: %s\n got %s\nwant %s", d, tt.in, got, want)
			}
			if !reflect.DeepEqual(args, wantArgs) {
				t.Errorf("%s: %s\n args %#v\n want %#v", d, tt.in, args, wantArgs)
			}
		}
	}
}

// TestSQLValuesAreArguments makes sure hostile text never reaches the SQL.
func TestSQLValuesAreArguments(t *testing.T) {
	f, err := New(contactSchema, `email = "x'); DROP TABLE contacts; --" or custom.region in ("?", "$1")`)
	if err != nil {
		t.Fatal(err)
	}
	q, args, err := f.SQL(store.Postgres, propEnv)
	if err != nil {
		t.Fatal(err)
	}
	for _, bad := range []string{"DROP", "$1", "x'"} {
		if strings.Contains(q, bad) || len(args) != 3 {
			t.Errorf("value leaked into SQL: %s", q)
		}
	}
}

func TestSQLNeedsUser(t *testing.T) {
	f, err := New(contactSchema, `owner = me()`)
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := f.SQL(store.SQLite, Env{}); err == nil || err.Error() != "me() needs a signed-in user at 1:9" {
		t.Errorf("err = %v", err)
	}
}
