package importer_test

import (
	"strings"
	"testing"

	"github.com/tandemcrm/tandem/internal/consent"
	"github.com/tandemcrm/tandem/internal/crm"
	"github.com/tandemcrm/tandem/internal/store"
	"github.com/tandemcrm/tandem/internal/store/testdb"
)

// TestConsentColumns: consent columns, matched by their usual headers,
// become ledger entries with source import and the import as evidence;
// a bad cell fails its row; a dry run records nothing.
func TestConsentColumns(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		p := member(t, db, 0, crm.RoleAdmin, "admin@example.com")
		file := "Email,Email Opt-In,SMS Consent,Legal basis for processing contact's data,Consent Date\n" +
			"a@example.com,Opted in,no,Freely given consent from contact,2025-03-01\n" +
			"b@example.com,unsubscribed,,Legitimate interest – prospect/lead,\n" +
			"c@example.com,maybe,,,\n"
		if dry := runImport(t, db, p, "contacts", file, nil, true); dry.Summary() != "created=2 updated=0 skipped=0 errors=1" {
			t.Fatalf("dry run: %s", dry.Summary())
		}
		if n := count(t, db, `SELECT count(*) FROM consent_records WHERE workspace_id = ?`, p.WorkspaceID); n != 0 {
			t.Fatalf("a dry run recorded %d consents", n)
		}
		imp := runImport(t, db, p, "contacts", file, nil, false)
		if imp.Summary() != "created=2 updated=0 skipped=0 errors=1" {
			t.Fatalf("import: %s %q", imp.Summary(), imp.Error)
		}
		if got := issueLines(t, db, p, imp.ID); got != `4 error Email Opt-In "maybe" use granted, withdrawn or denied (or yes / no, opted in / out)` {
			t.Fatalf("report: %s", got)
		}
		var lines []string
		err := db.Read(ctx, func(tx *store.Tx) error {
			rows, err := tx.Query(`SELECT id, email FROM contacts WHERE workspace_id = ? ORDER BY email`, p.WorkspaceID)
			if err != nil {
				return err
			}
			type c struct {
				id    crm.ID
				email string
			}
			var cs []c
			for rows.Next() {
				var x c
				if err := rows.Scan(&x.id, &x.email); err != nil {
					rows.Close()
					return err
				}
				cs = append(cs, x)
			}
			rows.Close()
			for _, x := range cs {
				states, err := consent.Current(tx, p.WorkspaceID, x.id)
				if err != nil {
					return err
				}
				for _, s := range states {
					if s.Status != "" {
						lines = append(lines, x.email+" "+s.Purpose.Key+" "+s.Status+" "+s.Latest.Basis+" "+s.Latest.Source+" "+
							s.Latest.At.Format("2006-01-02")+" "+strings.Replace(s.Latest.NoticeVersion, imp.ID.String(), "ID", 1))
					}
				}
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		today := imp.CreatedAt.Format("2006-01-02")
		want := "a@example.com marketing_email granted consent import 2025-03-01 import ID: in.csv\n" +
			"a@example.com sms withdrawn consent import 2025-03-01 import ID: in.csv\n" +
			"b@example.com marketing_email withdrawn legitimate_interest import " + today + " import ID: in.csv"
		if got := strings.Join(lines, "\n"); got != want {
			t.Fatalf("consents:\n%s\nwant:\n%s", got, want)
		}
	})
}
