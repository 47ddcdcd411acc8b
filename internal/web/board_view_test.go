package web_test

import (
	"context"
	"html"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/tandemcrm/tandem/internal/crm"
	"github.com/tandemcrm/tandem/internal/deals"
	"github.com/tandemcrm/tandem/internal/records"
	"github.com/tandemcrm/tandem/internal/store"
	"github.com/tandemcrm/tandem/internal/store/testdb"
)

var (
	cardTitleRE = regexp.MustCompile(`class="card-title" href="/deals/\d+">([^<]+)</a>`)
	moreRE      = regexp.MustCompile(`hx-get="(/pipeline/column[^"]+)"`)
	viewLocRE   = regexp.MustCompile(`^/pipeline\?view=(\d+)$`)
)

func cardTitles(body string) []string {
	var out []string
	for _, m := range cardTitleRE.FindAllStringSubmatch(body, -1) {
		out = append(out, html.UnescapeString(m[1]))
	}
	return out
}

// owner is the workspace's owner, for setting up what the UI has no form
// for here.
func owner(t *testing.T, tx *store.Tx) crm.Principal {
	t.Helper()
	var p crm.Principal
	if err := tx.Unscoped().QueryRow(`SELECT m.user_id, m.workspace_id FROM memberships m`).Scan(&p.UserID, &p.WorkspaceID); err != nil {
		t.Fatal(err)
	}
	p.Role = crm.RoleOwner
	return p
}

// TestBoardViewSortAndFields: a deal view's sort orders the cards of each
// column and its columns are the cards' fields (custom ones too, empty
// ones left out); the board shows which order it is in, and saving the
// board as a view keeps the order and the fields.
func TestBoardViewSortAndFields(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		b := signedIn(t, db)
		for _, d := range []struct{ title, value string }{{"Small", "100"}, {"Large", "7000"}, {"Medium", "2500"}} {
			must(t, b.do("POST", "/deals", url.Values{"title": {d.title}, "value": {d.value}, "currency": {"USD"}}), 303, "")
		}
		err := db.Write(context.Background(), func(tx *store.Tx) error {
			p := owner(t, tx)
			label := "Region"
			if _, err := records.CreateField(tx, p, records.FieldInput{Object: "deal", Label: &label, Type: records.FieldText}); err != nil {
				return err
			}
			var ids []crm.ID
			rows, err := tx.Query(`SELECT id FROM deals WHERE workspace_id = ? AND title IN ('Large', 'Medium') ORDER BY title`, p.WorkspaceID)
			if err != nil {
				return err
			}
			for rows.Next() {
				var id crm.ID
				_ = rows.Scan(&id)
				ids = append(ids, id)
			}
			rows.Close()
			close, source := "2027-03-01", "Referral"
			if _, err := deals.UpdateDeal(tx, p, ids[0], deals.DealPatch{ExpectedClose: &close, Source: &source,
				Tags: &[]string{"vip"}, Custom: map[string]any{"region": "EMEA"}}, 0); err != nil {
				return err
			}
			_, err = deals.UpdateDeal(tx, p, ids[1], deals.DealPatch{Source: &source}, 0)
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		// The standard card: company and owner, no field list, newest first.
		body := b.do("GET", "/pipeline", nil).Body.String()
		if !slices.Equal(cardTitles(body), []string{"Medium", "Large", "Small"}) || strings.Contains(body, "card-fields") ||
			!strings.Contains(body, "avatar-small") || !strings.Contains(body, `<option value="-stage_entered_at" selected>Latest in stage`) {
			t.Fatalf("standard board: %v", cardTitles(body))
		}
		rec := b.do("POST", "/views", url.Values{"object": {"deal"}, "name": {"By value"}, "sort": {"-value"},
			"columns": {"expected_close,source,custom.region,tags"}})
		must(t, rec, 303, "")
		loc := rec.Header().Get("Location")
		if viewLocRE.FindStringSubmatch(loc) == nil {
			t.Fatalf("saved view opens at %q", loc)
		}
		rec = b.do("GET", loc, nil)
		body = rec.Body.String()
		must(t, rec, 200, body, `<option value="-value" selected>Highest value`,
			`<dt>Close</dt><dd data-field="expected_close">Mar 1, 2027</dd>`, `<dt>Source</dt><dd data-field="source">Referral</dd>`,
			`<dt>Region</dt><dd data-field="custom.region">EMEA</dd>`, `<span class="tag">vip</span>`,
			`name="fields" value="source" checked`)
		if got := cardTitles(body); !slices.Equal(got, []string{"Large", "Medium", "Small"}) {
			t.Fatalf("the view's sort: cards %v", got)
		}
		if strings.Contains(body, "avatar-small") || strings.Count(body, "<dt>Source</dt>") != 2 || strings.Count(body, "<dt>Close</dt>") != 1 ||
			strings.Contains(body, "data-update-view") {
			t.Fatal("the view's cards show the standard meta, a field without a value, or the unchanged view offers an update")
		}
		// The board's form sent again as it is (the picker lists the shown
		// fields first, in the view's order): still the view, unchanged.
		if strings.Index(body, `value="custom.region" checked`) > strings.Index(body, `value="tags" checked`) {
			t.Fatal("the field picker does not list the view's fields in the view's order")
		}
		rec = b.do("GET", loc+"&sort=-value&filter=&fields=&fields=expected_close&fields=source&fields=custom.region&fields=tags", nil)
		must(t, rec, 200, rec.Body.String())
		if strings.Contains(rec.Body.String(), "data-update-view") || !slices.Equal(cardTitles(rec.Body.String()), []string{"Large", "Medium", "Small"}) {
			t.Fatal("the board's own form, unchanged, makes it differ from the view")
		}
		// Another order and other fields in the URL: the view differs, and
		// saving the board keeps both.
		rec = b.do("GET", loc+"&sort=value&fields=&fields=source", nil)
		body = rec.Body.String()
		must(t, rec, 200, body, "data-update-view", `<option value="value" selected>Lowest value`,
			`<input type="hidden" name="sort" value="value">`, `<input type="hidden" name="columns" value="source">`)
		if got := cardTitles(body); !slices.Equal(got, []string{"Small", "Medium", "Large"}) || strings.Contains(body, "<dt>Close</dt>") {
			t.Fatalf("sorted by value with source only: %v", got)
		}
		rec = b.do("POST", "/views", url.Values{"object": {"deal"}, "name": {"Small first"}, "filter": {""}, "sort": {"value"}, "columns": {"source"}})
		must(t, rec, 303, "")
		body = b.do("GET", rec.Header().Get("Location"), nil).Body.String()
		if !strings.Contains(body, `<option value="value" selected>`) || !strings.Contains(body, "<dt>Source</dt>") {
			t.Fatal("the view saved from the board lost its order or its fields")
		}
		// A sort the board cannot use shows its own order, and says so.
		rec = b.do("GET", "/pipeline?sort=status", nil)
		body = rec.Body.String()
		must(t, rec, 200, body, "data-sort-note", `<option value="-stage_entered_at" selected>`)
		if got := cardTitles(body); !slices.Equal(got, []string{"Medium", "Large", "Small"}) {
			t.Fatalf("fallback order: %v", got)
		}
	})
}

// TestBoardColumnPagesKeepSortAndFields: "Show more" continues a sorted
// column in the same order, with the same card fields.
func TestBoardColumnPagesKeepSortAndFields(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		b := signedIn(t, db)
		for i := range 33 {
			v := strconv.Itoa(100 + (i*17)%33)
			must(t, b.do("POST", "/deals", url.Values{"title": {"D" + v}, "value": {v}, "currency": {"USD"}}), 303, "")
		}
		body := b.do("GET", "/pipeline?sort=value&fields=created_at", nil).Body.String()
		more := moreRE.FindStringSubmatch(body)
		first := cardTitles(body)
		if len(first) != 30 || more == nil || first[0] != "D100" || first[29] != "D129" {
			t.Fatalf("first page: %v, more %v", first, more)
		}
		rec := b.do("GET", html.UnescapeString(more[1]), nil)
		must(t, rec, 200, rec.Body.String(), "<dt>Added</dt>")
		if rest := cardTitles(rec.Body.String()); !slices.Equal(rest, []string{"D130", "D131", "D132"}) {
			t.Fatalf("second page: %v", rest)
		}
	})
}
