package importer_test

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/tandemcrm/tandem/internal/account"
	"github.com/tandemcrm/tandem/internal/crm"
	"github.com/tandemcrm/tandem/internal/importer"
	"github.com/tandemcrm/tandem/internal/records"
	"github.com/tandemcrm/tandem/internal/seed"
	"github.com/tandemcrm/tandem/internal/store"
	"github.com/tandemcrm/tandem/internal/store/testdb"
)

func fields(t *testing.T, db *store.DB, p crm.Principal) {
	t.Helper()
	err := db.Write(ctx, func(tx *store.Tx) error {
		for _, in := range []records.FieldInput{
			{Object: "contact", Key: "region", Label: ptr("Region"), Type: records.FieldSelect, Options: &[]string{"EMEA", "APAC", "AMER"}},
			{Object: "contact", Key: "score", Label: ptr("Lead score"), Type: records.FieldNumber},
			{Object: "contact", Key: "vip", Label: ptr("VIP"), Type: records.FieldBoolean},
		} {
			if _, err := records.CreateField(tx, p, in); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

func ptr[T any](v T) *T { return &v }

func export(t *testing.T, db *store.DB, p crm.Principal, format string) []byte {
	t.Helper()
	var buf bytes.Buffer
	if _, err := importer.ExportContacts(ctx, db, p, records.ListQuery{}, format, nil, &buf); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// TestRoundTrip: export a seeded workspace (with custom fields, several
// emails and phones, tags, a formula-like value) → import the file into a
// fresh workspace with the same members → export again: the same bytes.
func TestRoundTrip(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		o, _ := seed.Size("demo")
		o.Seed, o.Companies, o.Contacts, o.Deals, o.Activities = 3, 40, 400, 0, 0
		res, err := seed.Generate(ctx, db, o)
		if err != nil {
			t.Fatal(err)
		}
		var a crm.Principal
		var users []crm.ID
		err = db.Write(ctx, func(tx *store.Tx) error {
			rows, err := tx.Query(`SELECT user_id FROM memberships WHERE workspace_id = ? ORDER BY user_id`, res.WorkspaceID)
			if err != nil {
				return err
			}
			defer rows.Close()
			for rows.Next() {
				var id crm.ID
				if err := rows.Scan(&id); err != nil {
					return err
				}
				users = append(users, id)
			}
			return tx.QueryRow(`SELECT u.id FROM users u WHERE u.email = ?`, res.OwnerEmail).Scan(&a.UserID)
		})
		if err != nil {
			t.Fatal(err)
		}
		a.WorkspaceID, a.Role = res.WorkspaceID, crm.RoleOwner
		fields(t, db, a)
		// Give some contacts custom values, more emails and phones, tags and
		// values that need care in CSV.
		jsonb := "" // PostgreSQL wants the JSON column's type said
		if db.Dialect() == store.Postgres {
			jsonb = "::jsonb"
		}
		err = db.Write(ctx, func(tx *store.Tx) error {
			_, err := tx.Exec(`UPDATE contacts SET custom = '{"region":"EMEA","score":12.5,"vip":true}',
				emails = ('[{"email":"' || email || '"},{"email":"second.' || email || '"}]')`+jsonb+`, tags = '["hot lead", "vip"]'
				WHERE workspace_id = ? AND id IN (SELECT id FROM contacts WHERE workspace_id = ? ORDER BY id LIMIT 20)`, a.WorkspaceID, a.WorkspaceID)
			if err != nil {
				return err
			}
			_, err = tx.Exec(`UPDATE contacts SET title = '=HYPERLINK("x")', first_name = ?, source = 'He said "hi", then left'
				WHERE workspace_id = ? AND id = (SELECT max(id) FROM contacts WHERE workspace_id = ?)`, "Line\nBreak", a.WorkspaceID, a.WorkspaceID)
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		first := export(t, db, a, "csv")

		b := member(t, db, 0, crm.RoleOwner, "fresh-owner@example.com")
		err = db.Write(ctx, func(tx *store.Tx) error {
			for _, u := range users {
				if err := account.AddMember(tx, b.WorkspaceID, u, crm.RoleMember, crm.System); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		fields(t, db, b)
		path := filepath.Join(t.TempDir(), "export.csv")
		if err := os.WriteFile(path, first, 0o600); err != nil {
			t.Fatal(err)
		}
		imp := create(t, db, b, path, nil)
		imp, err = importer.Execute(ctx, db, b.WorkspaceID, imp.ID, importer.Options{TxRows: 150})
		if err != nil || imp.Summary() != fmt.Sprintf("created=%d updated=0 skipped=0 errors=0", res.Contacts) {
			t.Fatalf("import: %v %s %s", err, imp.Summary(), imp.Error)
		}
		second := export(t, db, b, "csv")
		if !bytes.Equal(first, second) {
			fl, sl := strings.Split(string(first), "\n"), strings.Split(string(second), "\n")
			for i := range min(len(fl), len(sl)) {
				if fl[i] != sl[i] {
					t.Fatalf("line %d differs:\n%s\n%s", i+1, fl[i], sl[i])
				}
			}
			t.Fatalf("exports differ in length: %d, %d lines", len(fl), len(sl))
		}
		if !strings.Contains(string(first), `'=HYPERLINK`) || !strings.Contains(string(first), "Region,Lead score,VIP") {
			t.Fatalf("export lacks the formula guard or custom columns:\n%.400s", first)
		}
		if x := export(t, db, a, "xlsx"); !bytes.HasPrefix(x, []byte("PK")) {
			t.Fatal("xlsx is not a zip")
		}
		v := string(export(t, db, a, "vcf"))
		if strings.Count(v, "BEGIN:VCARD\r\n") != res.Contacts || !strings.Contains(v, "EMAIL;TYPE=INTERNET:second.") ||
			!strings.Contains(v, `FN:Line\nBreak`) || !strings.Contains(v, "TEL;TYPE=VOICE,PREF:+") || !strings.Contains(v, `CATEGORIES:hot lead,vip`) {
			t.Fatalf("vcard:\n%.600s", v)
		}
	})
}
