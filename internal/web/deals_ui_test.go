package web_test

import (
	"context"
	"encoding/json"
	"html"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/tandemcrm/tandem/internal/activities"
	"github.com/tandemcrm/tandem/internal/crm"
	"github.com/tandemcrm/tandem/internal/store"
	"github.com/tandemcrm/tandem/internal/store/testdb"
)

// TestPipelineUI drives the board's server side: the page, a move answered
// in JSON with the new totals, won/lost, "Show more", a bad filter, inline
// editing on the deal page (a custom field too) and the settings page.
func TestPipelineUI(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		b := signedIn(t, db)
		for i, v := range []string{"100", "2500.50", "7000"} {
			rec := b.do("POST", "/deals", url.Values{"title": {"Deal " + string(rune('A'+i))}, "value": {v}, "currency": {"USD"}})
			must(t, rec, 303, rec.Body.String())
		}
		rec := b.do("POST", "/deals", url.Values{"title": {""}, "value": {"12.345"}})
		must(t, rec, 422, rec.Body.String(), "Give the deal a title", "USD has 2 decimals")

		rec = b.do("GET", "/pipeline", nil)
		body := rec.Body.String()
		must(t, rec, 200, body, `aria-label="Lead in"`, "USD 9,600.50", "data-weighted>USD 960.05<", `data-drop="lost"`, "No budget")
		ids := regexp.MustCompile(`data-deal="(\d+)"`).FindAllStringSubmatch(body, -1)
		stages := regexp.MustCompile(`data-stage="(\d+)"`).FindAllStringSubmatch(body, -1)
		if len(ids) != 3 || len(stages) != 5 {
			t.Fatalf("cards %d, columns %d", len(ids), len(stages))
		}
		id, proposal := ids[0][1], stages[2][1]

		// A move answers JSON with every column's totals.
		rec = b.do("POST", "/deals/"+id+"/move", url.Values{"stage_id": {proposal}}, "Accept", "application/json")
		must(t, rec, 200, rec.Body.String(), `"stage":"Proposal"`)
		var st struct {
			Version  int64  `json:"version"`
			Previous string `json:"previous_stage_id"`
			Columns  []struct {
				StageID  string `json:"stage_id"`
				Count    int    `json:"count"`
				Sum      string `json:"sum"`
				Weighted string `json:"weighted"`
			} `json:"columns"`
		}
		if err := json.Unmarshal(rec.Body.Bytes(), &st); err != nil {
			t.Fatal(err)
		}
		if len(st.Columns) != 5 || st.Columns[2].Count != 1 || st.Columns[0].Count != 2 || st.Previous != stages[0][1] || st.Version != 2 {
			t.Fatalf("move answer: %+v", st)
		}
		// A stale version is refused; a bad stage too.
		rec = b.do("POST", "/deals/"+id+"/move", url.Values{"stage_id": {stages[3][1]}, "version": {"1"}}, "Accept", "application/json")
		must(t, rec, 409, rec.Body.String(), "changed by someone else")
		rec = b.do("POST", "/deals/"+id+"/move", url.Values{"stage_id": {"42"}}, "Accept", "application/json")
		must(t, rec, 422, rec.Body.String(), "stage_id")

		// Lost needs a reason from the list; the board then leaves it out.
		rec = b.do("POST", "/deals/"+id+"/lost", url.Values{"reason": {"Moon phase"}}, "Accept", "application/json")
		must(t, rec, 422, rec.Body.String(), "Choose one of")
		rec = b.do("POST", "/deals/"+id+"/lost", url.Values{"reason": {"No budget"}}, "Accept", "application/json")
		must(t, rec, 200, rec.Body.String(), `"status":"lost"`)
		rec = b.do("GET", "/pipeline", nil)
		if strings.Contains(rec.Body.String(), `data-deal="`+id+`"`) {
			t.Fatal("a lost deal is still on the board")
		}
		rec = b.do("POST", "/deals/"+id+"/reopen", url.Values{})
		must(t, rec, 303, rec.Body.String())

		// A filter narrows the board; a bad one says why and shows it all.
		rec = b.do("GET", "/pipeline?filter="+url.QueryEscape("value >= 1000"), nil)
		if n := strings.Count(rec.Body.String(), "data-deal="); n != 2 {
			t.Fatalf("filtered board has %d cards", n)
		}
		rec = b.do("GET", "/pipeline?filter="+url.QueryEscape("valu >= 1000"), nil)
		must(t, rec, 422, rec.Body.String(), "did you mean", "at 1:1", `aria-invalid="true"`)

		// The deal page edits inline, custom fields included.
		rec = b.do("POST", "/settings/fields", url.Values{"object": {"deal"}, "label": {"Region"}, "type": {"select"}, "options": {"EMEA, AMER"}})
		must(t, rec, 303, rec.Body.String())
		rec = b.do("GET", "/deals/"+id, nil)
		must(t, rec, 200, rec.Body.String(), "Stage history", `data-fact="custom.region"`, "Lead in", "Proposal")
		rec = b.do("POST", "/deals/"+id+"/edit", url.Values{"field": {"value"}, "value": {"1,234.5"}}, "HX-Request", "true")
		must(t, rec, 200, rec.Body.String(), "USD 1,234.50")
		rec = b.do("POST", "/deals/"+id+"/edit", url.Values{"field": {"custom.region"}, "value": {"EMEA"}}, "HX-Request", "true")
		must(t, rec, 200, rec.Body.String(), "EMEA")
		rec = b.do("POST", "/deals/"+id+"/edit", url.Values{"field": {"currency"}, "value": {"dollars"}}, "HX-Request", "true")
		must(t, rec, 422, rec.Body.String(), "three-letter")
		rec = b.do("GET", "/deals?filter="+url.QueryEscape(`custom.region = "EMEA"`), nil)
		must(t, rec, 200, rec.Body.String(), "1 deals", "USD 1,234.50")

		// Settings: add a stage, remove it, its deals moving on.
		rec = b.do("GET", "/settings/pipelines", nil)
		must(t, rec, 200, rec.Body.String(), "Lost reasons", "Chose a competitor")
		pl := regexp.MustCompile(`/settings/pipelines/(\d+)/stages`).FindStringSubmatch(rec.Body.String())[1]
		rec = b.do("POST", "/settings/pipelines/"+pl+"/stages", url.Values{"name": {"Demo"}, "probability": {"40"}, "rot_days": {"7"}})
		must(t, rec, 303, rec.Body.String())
		demo := regexp.MustCompile(`action="/settings/stages/(\d+)"[^>]*>\s*<input[^>]*value="Demo"`).FindStringSubmatch(b.do("GET", "/settings/pipelines", nil).Body.String())
		if demo == nil {
			t.Fatal("no Demo stage on the settings page")
		}
		must(t, b.do("POST", "/deals/"+id+"/move", url.Values{"stage_id": {demo[1]}}, "Accept", "application/json"), 200, "")
		rec = b.do("POST", "/settings/stages/"+demo[1]+"/delete", url.Values{"move_to": {stages[1][1]}})
		must(t, rec, 303, rec.Body.String())
		rec = b.do("GET", "/deals/"+id, nil)
		must(t, rec, 200, rec.Body.String(), "Qualified", "Demo")
	})
}

// TestBoardColumnPages: a column shows 30 cards, then "Show more" loads
// the rest, without repeats.
func TestBoardColumnPages(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		b := signedIn(t, db)
		for i := range 35 {
			must(t, b.do("POST", "/deals", url.Values{"title": {"D" + strconv.Itoa(i)}}), 303, "")
		}
		body := b.do("GET", "/pipeline", nil).Body.String()
		first := regexp.MustCompile(`data-deal="(\d+)"`).FindAllStringSubmatch(body, -1)
		more := regexp.MustCompile(`hx-get="(/pipeline/column[^"]+)"`).FindStringSubmatch(body)
		if len(first) != 30 || more == nil || !strings.Contains(body, "35</span> deals") {
			t.Fatalf("first page: %d cards, more %v", len(first), more)
		}
		rec := b.do("GET", html.UnescapeString(more[1]), nil)
		must(t, rec, 200, rec.Body.String())
		rest := regexp.MustCompile(`data-deal="(\d+)"`).FindAllStringSubmatch(rec.Body.String(), -1)
		seen := map[string]bool{}
		for _, m := range append(first, rest...) {
			seen[m[1]] = true
		}
		if len(rest) != 5 || len(seen) != 35 || strings.Contains(rec.Body.String(), "Show more") {
			t.Fatalf("second page: %d cards, %d distinct", len(rest), len(seen))
		}
	})
}

// TestBoardShowsNextActivity: a card names its next open activity (type and
// day, nothing more); an open deal without one is marked.
func TestBoardShowsNextActivity(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		b := signedIn(t, db)
		for _, title := range []string{"Planned", "Adrift"} {
			rec := b.do("POST", "/deals", url.Values{"title": {title}, "value": {"100"}, "currency": {"USD"}})
			must(t, rec, 303, rec.Body.String())
		}
		if err := db.Write(context.Background(), func(tx *store.Tx) error {
			var p crm.Principal
			if err := tx.Unscoped().QueryRow(`SELECT m.user_id, m.workspace_id FROM memberships m`).Scan(&p.UserID, &p.WorkspaceID); err != nil {
				return err
			}
			p.Role = crm.RoleOwner
			var deal crm.ID
			if err := tx.QueryRow(`SELECT id FROM deals WHERE workspace_id = ? AND title = 'Planned'`, p.WorkspaceID).Scan(&deal); err != nil {
				return err
			}
			kind, title, due := "call", "Secret agenda", time.Date(2031, 3, 4, 15, 0, 0, 0, time.UTC)
			_, err := activities.Create(tx, p, activities.Input{Type: &kind, Title: &title, DueAt: &due, DealID: &deal})
			return err
		}); err != nil {
			t.Fatal(err)
		}
		body := b.do("GET", "/pipeline", nil).Body.String()
		if !strings.Contains(body, "Call · Mar 4") || strings.Contains(body, "Secret agenda") {
			t.Fatal("the planned deal's card does not show its next activity's type and day (and only those)")
		}
		if strings.Count(body, "No next activity") != 1 {
			t.Fatalf("%d cards marked without a next activity, want 1", strings.Count(body, "No next activity"))
		}
	})
}

// TestBoardViews saves the board's filter as a deal view, opens it, sees
// only its deals and unfiltered totals elsewhere, and updates it.
func TestBoardViews(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		b := signedIn(t, db)
		for i, v := range []string{"100", "2500", "7000"} {
			rec := b.do("POST", "/deals", url.Values{"title": {"Deal " + string(rune('A'+i))}, "value": {v}, "currency": {"USD"}})
			must(t, rec, 303, rec.Body.String())
		}
		rec := b.do("POST", "/views", url.Values{"object": {"deal"}, "name": {"Big"}, "filter": {"valu >= 1000"}})
		must(t, rec, 303, "")
		if loc := rec.Header().Get("Location"); !strings.HasPrefix(loc, "/pipeline?filter=valu") {
			t.Fatalf("a refused view goes back to the board with its filter, not %q", loc)
		}
		rec = b.do("POST", "/views", url.Values{"object": {"deal"}, "name": {"Big"}, "filter": {"value >= 1000"}})
		must(t, rec, 303, "")
		loc := rec.Header().Get("Location")
		m := regexp.MustCompile(`^/pipeline\?view=(\d+)$`).FindStringSubmatch(loc)
		if m == nil {
			t.Fatalf("saved view opens at %q", loc)
		}
		rec = b.do("GET", loc, nil)
		body := rec.Body.String()
		must(t, rec, 200, body, "Deal B", "Deal C", `class="on" data-view-id="`+m[1]+`"`, `value="value &gt;= 1000"`, "USD 9,500.00")
		if strings.Contains(body, "Deal A") || strings.Contains(body, "data-update-view") {
			t.Fatal("the view shows a deal it filters out, or offers an update while unchanged")
		}
		// All open deals again: the maintained totals.
		body = b.do("GET", "/pipeline", nil).Body.String()
		if !strings.Contains(body, "Deal A") || !strings.Contains(body, "USD 9,600.00") {
			t.Fatal("the unfiltered board lacks a deal or its total")
		}
		// The view with another filter differs from it and may be updated.
		rec = b.do("GET", loc+"&filter="+url.QueryEscape("value >= 5000"), nil)
		must(t, rec, 200, rec.Body.String(), "data-update-view")
		rec = b.do("POST", "/views/"+m[1], url.Values{"filter": {"value >= 5000"}})
		must(t, rec, 303, "")
		body = b.do("GET", loc, nil).Body.String()
		if strings.Contains(body, "Deal B") || !strings.Contains(body, "Deal C") {
			t.Fatal("the updated view does not narrow the board")
		}
		// An unknown view is not found (the views package keeps other
		// people's private views and other workspaces' out the same way).
		must(t, b.do("GET", "/pipeline?view=99999", nil), 404, "")
	})
}

// TestDealListExport: the deals list's Export link downloads the list as
// filtered and sorted, as CSV; a bad filter offers no link.
func TestDealListExport(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		b := signedIn(t, db)
		for _, d := range [][2]string{{"Small", "100"}, {"Big", "9000"}, {"Middle", "2500.50"}} {
			must(t, b.do("POST", "/deals", url.Values{"title": {d[0]}, "value": {d[1]}, "currency": {"USD"}}), 303, "")
		}
		list := b.do("GET", "/deals?filter="+url.QueryEscape(`value >= 1000`)+"&sort=-value", nil).Body.String()
		m := regexp.MustCompile(`href="(/deals/export\?[^"]+)"`).FindStringSubmatch(list)
		if m == nil {
			t.Fatalf("no export link:\n%.1500s", list)
		}
		csv := b.do("GET", strings.ReplaceAll(m[1], "&amp;", "&"), nil)
		body := csv.Body.String()
		must(t, csv, 200, body, "Deal Name,Amount,Currency,Pipeline,Deal Stage,Status,")
		if !strings.Contains(body, "\nBig,9000.00,USD,") || strings.Index(body, "\nBig,") > strings.Index(body, "\nMiddle,") || strings.Contains(body, "Small") ||
			csv.Header().Get("Content-Disposition") != `attachment; filename="deals.csv"` {
			t.Fatalf("export of the filtered, sorted deals: %q\n%s", csv.Header().Get("Content-Disposition"), body)
		}
		if bad := b.do("GET", "/deals?filter=nope", nil).Body.String(); strings.Contains(bad, "/deals/export") {
			t.Fatal("an export link under a refused filter")
		}
	})
}
