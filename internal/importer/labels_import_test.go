package importer_test

import (
	"encoding/json"
	"fmt"
	"testing"

	"github.com/tandemcrm/tandem/internal/crm"
	"github.com/tandemcrm/tandem/internal/records"
	"github.com/tandemcrm/tandem/internal/store"
	"github.com/tandemcrm/tandem/internal/store/testdb"
)

// TestImportLabels: a "Mobile Phone" column's numbers are labelled mobile,
// and labels written in the cells are kept.
func TestImportLabels(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		p := member(t, db, 0, crm.RoleAdmin, "admin@example.com")
		body := "First Name,Email,Other Emails,Phone,Mobile Phone\n" +
			"Ada,ada@example.com,ada@home.example (home),+44 20 7946 0001,+44 7700 900001\n" +
			"Grace,grace@example.com,,+1 202 555 0100 (work),\n"
		if imp := runImport(t, db, p, "contacts", body, nil, false); imp.Summary() != "created=2 updated=0 skipped=0 errors=0" {
			t.Fatalf("import: %s", imp.Summary())
		}
		got := map[string]string{}
		err := db.Read(ctx, func(tx *store.Tx) error {
			rows, err := tx.Query(`SELECT first_name, emails, phones FROM contacts WHERE workspace_id = ?`, p.WorkspaceID)
			if err != nil {
				return err
			}
			defer rows.Close()
			for rows.Next() {
				var name, emails, phones string
				if err := rows.Scan(&name, &emails, &phones); err != nil {
					return err
				}
				var es []records.EmailAddr
				var ps []records.PhoneNum
				if err := json.Unmarshal([]byte(emails), &es); err != nil {
					return err
				}
				if err := json.Unmarshal([]byte(phones), &ps); err != nil {
					return err
				}
				got[name] = fmt.Sprint(es, ps)
			}
			return rows.Err()
		})
		if err != nil {
			t.Fatal(err)
		}
		want := map[string]string{
			"Ada":   "[{ada@example.com } {ada@home.example home}] [{+44 20 7946 0001 } {+44 7700 900001 mobile}]",
			"Grace": "[{grace@example.com }] [{+1 202 555 0100 work}]",
		}
		for k, w := range want {
			if got[k] != w {
				t.Errorf("%s: %s\nwant %s", k, got[k], w)
			}
		}
	})
}
