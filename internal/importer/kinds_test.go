package importer_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/tandemcrm/tandem/internal/crm"
	"github.com/tandemcrm/tandem/internal/importer"
	"github.com/tandemcrm/tandem/internal/store"
	"github.com/tandemcrm/tandem/internal/store/testdb"
)

func rowsOf(t *testing.T, db *store.DB, q string, args ...any) string {
	t.Helper()
	var out []string
	err := db.Read(ctx, func(tx *store.Tx) error {
		rows, err := tx.Query(q, args...)
		if err != nil {
			return err
		}
		defer rows.Close()
		cols, _ := rows.Columns()
		for rows.Next() {
			vals := make([]any, len(cols))
			ptrs := make([]any, len(cols))
			for i := range vals {
				ptrs[i] = &vals[i]
			}
			if err := rows.Scan(ptrs...); err != nil {
				return err
			}
			parts := make([]string, len(vals))
			for i, v := range vals {
				if b, ok := v.([]byte); ok {
					v = string(b)
				}
				parts[i] = fmt.Sprint(v)
			}
			out = append(out, strings.Join(parts, "|"))
		}
		return rows.Err()
	})
	if err != nil {
		t.Fatal(err)
	}
	return strings.Join(out, "\n")
}

// HubSpot's deal export headers.
const dealsFile = "Deal Name,Amount,Currency,Deal Stage,Close Date,Deal Owner,Contact Email,Company Name,Closed Lost Reason,Record ID\n" +
	"Big one,\"$12,500.50\",,Closed Won,2026-03-31,boss@example.com,ada@example.com,Engines Ltd,,D1\n" +
	"Small,900 EUR,,Closed Lost,2026-04-01,,nobody@example.com,,No budget,D2\n" +
	"Open deal,100,,qualified,,,,Nowhere Inc,,D3\n" +
	"Bad stage,5,,Wizardry,,,,,,D4\n" +
	"Bad amount,abc,,,,,,,,D5\n" +
	"Bad currency,5,Dollars,,,,,,,D6\n" +
	"Bad reason,5,,Closed Lost,,,,,Too expensive,D7\n"

// TestImportDeals: stages by name and "Closed Won"/"Closed Lost" as the
// deal's status, amounts with symbols and codes, contact by email, company
// by name, owner by email; the domain refuses what the UI refuses; a second
// import updates by external id, and undo restores and removes.
func TestImportDeals(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		p := member(t, db, 0, crm.RoleAdmin, "admin@example.com")
		boss := member(t, db, p.WorkspaceID, crm.RoleMember, "boss@example.com")
		runImport(t, db, p, "contacts", "Email,Company\nada@example.com,Engines Ltd\n", nil, false)
		dry := runImport(t, db, p, "deals", dealsFile, nil, true)
		imp := runImport(t, db, p, "deals", dealsFile, nil, false)
		if imp.Summary() != "created=3 updated=0 skipped=0 errors=4" || dry.Summary() != imp.Summary() {
			t.Fatalf("deals: %s (dry run %s) %q", imp.Summary(), dry.Summary(), imp.Error)
		}
		got := rowsOf(t, db, `SELECT d.title, d.value, d.currency, d.status, d.lost_reason, s.name, d.expected_close,
			d.owner_id = ?, d.contact_id <> 0, d.company_id <> 0, d.external_id, d.import_id = ?
			FROM deals d JOIN stages s ON s.id = d.stage_id WHERE d.workspace_id = ? AND d.deleted_at IS NULL ORDER BY d.title`,
			boss.UserID, imp.ID, p.WorkspaceID)
		want := "Big one|1250050|USD|won||Closing|2026-03-31|true|true|true|D1|true\n" +
			"Open deal|10000|USD|open||Qualified||false|false|false|D3|true\n" +
			"Small|90000|EUR|lost|No budget|Closing|2026-04-01|false|false|false|D2|true"
		got = strings.NewReplacer("|1|", "|true|", "|0|", "|false|").Replace(strings.NewReplacer("|1|", "|true|", "|0|", "|false|").Replace(got))
		got = strings.ReplaceAll(got, "|1\n", "|true\n")
		if strings.HasSuffix(got, "|1") {
			got = got[:len(got)-1] + "true"
		}
		if got != want {
			t.Fatalf("deals:\n%s\nwant:\n%s\n%s", got, want, issueLines(t, db, p, imp.ID))
		}
		wantIssues := `3 warning Contact Email "nobody@example.com" no contact has this email; the deal has no contact` + "\n" +
			`4 warning Company Name "Nowhere Inc" no company has this name or domain; the deal has no company` + "\n" +
			`5 error Deal Stage "Wizardry" no stage of Sales has this name; use one of Lead in, Qualified, Proposal, Negotiation, Closing, won or lost, or map this value in the template` + "\n" +
			`6 error Amount "abc" not an amount in USD like 1250.50` + "\n" +
			`7 error Currency "Dollars" not a three-letter currency code like USD or EUR` + "\n" +
			`8 error Closed Lost Reason "Too expensive" Choose one of: Price, Chose a competitor, No budget, Bad timing, No response, Other.`
		if got := issueLines(t, db, p, imp.ID); got != wantIssues {
			t.Fatalf("report:\n%s\nwant:\n%s", got, wantIssues)
		}
		// The dry run's report: the same, plus what would be created (and
		// not for the row the domain refused).
		if got := issueLines(t, db, p, dry.ID); !strings.Contains(got, "\n8 error Closed Lost Reason") || strings.Contains(got, "8 created") ||
			strings.Count(got, "would be created") != 3 {
			t.Fatalf("dry-run report:\n%s", got)
		}
		// Again with a new amount for D1 and a stage value mapping: D1 is updated.
		tmpl := &importer.Template{Kind: "deals", Columns: []importer.ColumnMap{{Header: "Deal Name", Field: "title"},
			{Header: "Amount", Field: "value"}, {Header: "Deal Stage", Field: "stage"}, {Header: "Record ID", Field: "external_id"}},
			Values: map[string]map[string]string{"stage": {"Verhandlung": "Negotiation"}},
			Dedupe: importer.Dedupe{Policy: importer.UpdateOnly, Match: "external_id"}}
		second := runImport(t, db, p, "deals", "Deal Name,Amount,Deal Stage,Record ID\nBig one,99,Verhandlung,D1\nGhost,1,,D9\n", tmpl, false)
		if second.Summary() != "created=0 updated=1 skipped=1 errors=0" {
			t.Fatalf("second: %s %q", second.Summary(), second.Error)
		}
		if got := rowsOf(t, db, `SELECT d.value, s.name, d.status FROM deals d JOIN stages s ON s.id = d.stage_id WHERE d.workspace_id = ? AND d.external_id = 'D1'`, p.WorkspaceID); got != "9900|Negotiation|won" {
			t.Fatalf("updated: %s", got)
		}
		_, res, err := importer.UndoImport(ctx, db, p, second.ID)
		if err != nil || res.Restored != 1 {
			t.Fatalf("undo second: %v %+v", err, res)
		}
		if got := rowsOf(t, db, `SELECT d.value, s.name, d.status FROM deals d JOIN stages s ON s.id = d.stage_id WHERE d.workspace_id = ? AND d.external_id = 'D1'`, p.WorkspaceID); got != "1250050|Closing|won" {
			t.Fatalf("restored: %s", got)
		}
		_, res, err = importer.UndoImport(ctx, db, p, imp.ID)
		if err != nil || res.Removed != 3 {
			t.Fatalf("undo first: %v %+v", err, res)
		}
		if n := count(t, db, `SELECT count(*) FROM deals WHERE workspace_id = ? AND deleted_at IS NULL`, p.WorkspaceID); n != 0 {
			t.Fatalf("deals left after undo: %d", n)
		}
	})
}

// TestImportProductsAndActivities: prices per currency, tax rates and
// archived products by SKU; activities with types, due times in a time
// zone, assignee, contact and deal; undo removes both.
func TestImportProductsAndActivities(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		p := member(t, db, 0, crm.RoleAdmin, "admin@example.com")
		boss := member(t, db, p.WorkspaceID, crm.RoleMember, "boss@example.com")
		products := "Product Name,SKU,Unit Price,Currency,Price (EUR),Tax Rate,Active\n" +
			"Widget,W-1,12.50,USD,11,19%,yes\n" +
			"Gadget,G-1,5,,,7,archived\n" +
			"Broken,B-1,abc,,,,\n" +
			"Widget again,w-1,13,USD,,,\n" +
			"Taxing,T-1,1,,,150,\n"
		imp := runImport(t, db, p, "products", products, nil, false)
		if imp.Summary() != "created=2 updated=1 skipped=0 errors=2" {
			t.Fatalf("products: %s %q\n%s", imp.Summary(), imp.Error, issueLines(t, db, p, imp.ID))
		}
		got := rowsOf(t, db, `SELECT p.name, p.sku, p.tax_rate, p.archived_at IS NULL, pp.currency, pp.unit_price FROM products p
			JOIN product_prices pp ON pp.product_id = p.id WHERE p.workspace_id = ? ORDER BY p.sku, pp.currency`, p.WorkspaceID)
		want := "Gadget|G-1|700|false|USD|500\nWidget again|w-1|1900|true|EUR|1100\nWidget again|w-1|1900|true|USD|1300"
		if got = strings.NewReplacer("|1|", "|true|", "|0|", "|false|").Replace(got); got != want {
			t.Fatalf("products:\n%s\nwant:\n%s", got, want)
		}
		if got, want := issueLines(t, db, p, imp.ID), `4 error Unit Price "abc" not a price in USD like 12.50`+"\n"+
			`6 error Tax Rate "150" not a percentage from 0 to 100`; got != want {
			t.Fatalf("product report:\n%s\nwant:\n%s", got, want)
		}

		runImport(t, db, p, "contacts", "Email\nada@example.com\n", nil, false)
		runImport(t, db, p, "deals", "Deal Name\nBig one\n", nil, false)
		acts := "Type,Subject,Due Date,Time,Time Zone,Assigned To,Contact Email,Deal,Done,Activity ID\n" +
			"Call,Call Ada,2026-05-04,14:30,Europe/Berlin,boss@example.com,ada@example.com,big one,no,A1\n" +
			"To-do,Send quote,2026-05-05,,,,,,yes,A2\n" +
			"Lunch,Meet,2026-05-06T12:00:00+02:00,,,,,Nope deal,,A3\n" +
			"Party,Bad type,2026-05-06,,,,,,,A4\n" +
			"Call,Bad due,31/12/2026,,,,,,,A5\n"
		ai := runImport(t, db, p, "activities", acts, nil, false)
		if ai.Summary() != "created=3 updated=0 skipped=0 errors=2" {
			t.Fatalf("activities: %s %q\n%s", ai.Summary(), ai.Error, issueLines(t, db, p, ai.ID))
		}
		got = rowsOf(t, db, `SELECT type, title, due_at, all_day, owner_id = ?, contact_id <> 0, deal_id <> 0, done_at IS NOT NULL, external_id
			FROM activities WHERE workspace_id = ? ORDER BY external_id`, boss.UserID, p.WorkspaceID)
		want = "call|Call Ada|1777897800000000|0|1|1|1|0|A1\n" + // 14:30 in Berlin (CEST) is 12:30 UTC
			"task|Send quote|1777939200000000|1|0|0|0|1|A2\n" +
			"meeting|Meet|1778061600000000|0|0|0|0|0|A3"
		got = strings.NewReplacer("true", "1", "false", "0").Replace(got)
		if got != want {
			t.Fatalf("activities:\n%s\nwant:\n%s", got, want)
		}
		if got, want := issueLines(t, db, p, ai.ID), `4 warning Deal "Nope deal" no deal has this title; the activity is on no deal`+"\n"+
			`5 error Type "Party" use one of task, call, meeting, deadline, email, or map this value in the template`+"\n"+
			`6 error Due Date "31/12/2026" not a date like 2026-01-31 or a date and time like 2026-01-31 14:30`; got != want {
			t.Fatalf("activity report:\n%s\nwant:\n%s", got, want)
		}
		if _, res, err := importer.UndoImport(ctx, db, p, ai.ID); err != nil || res.Removed != 3 {
			t.Fatalf("undo activities: %v %+v", err, res)
		}
		if _, res, err := importer.UndoImport(ctx, db, p, imp.ID); err != nil || res.Removed != 2 {
			t.Fatalf("undo products: %v %+v", err, res)
		}
		if n := count(t, db, `SELECT count(*) FROM products WHERE workspace_id = ? AND deleted_at IS NULL`, p.WorkspaceID) +
			count(t, db, `SELECT count(*) FROM activities WHERE workspace_id = ? AND deleted_at IS NULL`, p.WorkspaceID); n != 0 {
			t.Fatalf("left after undo: %d", n)
		}
	})
}
