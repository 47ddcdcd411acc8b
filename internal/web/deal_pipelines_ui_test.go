package web_test

import (
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/tandemcrm/tandem/internal/store"
	"github.com/tandemcrm/tandem/internal/store/testdb"
)

// pipelineOrder is the pipelines' names as Settings → Pipelines lists them.
func pipelineOrder(t *testing.T, b *browser) []string {
	t.Helper()
	var out []string
	for _, m := range regexp.MustCompile(`<input class="w-name" name="name" value="([^"]+)" aria-label="Pipeline name"`).FindAllStringSubmatch(b.do("GET", "/settings/pipelines", nil).Body.String(), -1) {
		out = append(out, m[1])
	}
	return out
}

// TestDealToAnotherPipeline: the deal page's stage editor offers every
// pipeline's stages, grouped; choosing one of another pipeline moves the
// deal there, with its history, and the page's header follows.
func TestDealToAnotherPipeline(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		b := signedIn(t, db)
		id := newDeal(t, b, url.Values{"title": {"Rollout"}, "value": {"1000"}})
		// One pipeline: plain options, as before.
		rec := b.do("GET", "/deals/"+id+"/edit?field=stage", nil, "HX-Request", "true")
		must(t, rec, 200, rec.Body.String(), "Proposal (50%)")
		if strings.Contains(rec.Body.String(), "<optgroup") {
			t.Fatal("a single pipeline's stages are grouped")
		}
		must(t, b.do("POST", "/settings/pipelines", url.Values{"name": {"Renewals"}, "stages": {"Due, Quoted, Signed"}}), 303, "")
		rec = b.do("GET", "/deals/"+id+"/edit?field=stage", nil, "HX-Request", "true")
		body := rec.Body.String()
		must(t, rec, 200, body, `<optgroup label="Sales">`, `<optgroup label="Renewals">`)
		quoted := regexp.MustCompile(`<option value="(\d+)">Quoted \(0%\)</option>`).FindStringSubmatch(body)
		if quoted == nil {
			t.Fatalf("no Quoted option:\n%s", body)
		}
		v := dealVersion(t, b, id)
		rec = b.do("POST", "/deals/"+id+"/edit", url.Values{"field": {"stage"}, "value": {"424242"}, "version": {v}}, "HX-Request", "true")
		must(t, rec, 422, rec.Body.String(), "No such stage.")
		rec = b.do("POST", "/deals/"+id+"/edit", url.Values{"field": {"stage"}, "value": {quoted[1]}, "version": {"9" + v}}, "HX-Request", "true")
		must(t, rec, 422, rec.Body.String(), "Someone else changed this deal")
		rec = b.do("POST", "/deals/"+id+"/edit", url.Values{"field": {"stage"}, "value": {quoted[1]}, "version": {v}}, "HX-Request", "true")
		body = rec.Body.String()
		must(t, rec, 200, body, "Renewals › Quoted", `hx-swap-oob="true">← Renewals<`, `id="deal-history" hx-swap-oob="true"`,
			"<td>Quoted</td>", "<td>Lead in</td>", "· Quoted ·")
		rec = b.do("GET", "/pipeline", nil)
		if strings.Contains(rec.Body.String(), "Rollout") {
			t.Fatal("the moved deal is still on the Sales board")
		}
		rec = b.do("GET", "/deals/"+id, nil)
		must(t, rec, 200, rec.Body.String(), "← Renewals", "Renewals › Quoted")
	})
}

// TestPipelineReorder: Settings → Pipelines moves a pipeline up or down;
// the first one is where a deal without a pipeline goes.
func TestPipelineReorder(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		b := signedIn(t, db)
		for _, n := range []string{"Renewals", "Partners"} {
			must(t, b.do("POST", "/settings/pipelines", url.Values{"name": {n}, "stages": {"One, Two"}}), 303, "")
		}
		if got := strings.Join(pipelineOrder(t, b), ","); got != "Sales,Renewals,Partners" {
			t.Fatalf("order %s", got)
		}
		page := b.do("GET", "/settings/pipelines", nil).Body.String()
		moves := regexp.MustCompile(`action="/settings/pipelines/(\d+)/move"><input type="hidden" name="dir" value="(up|down)"`).FindAllStringSubmatch(page, -1)
		// Sales ↓, Renewals ↑ ↓, Partners ↑.
		if len(moves) != 4 || moves[0][2] != "down" || moves[3][2] != "up" {
			t.Fatalf("arrows: %v", moves)
		}
		partners := moves[3][1]
		rec := b.do("POST", "/settings/pipelines/"+partners+"/move", url.Values{"dir": {"up"}})
		must(t, rec, 303, "")
		rec = b.do("POST", "/settings/pipelines/"+partners+"/move", url.Values{"dir": {"up"}})
		must(t, rec, 303, "")
		if got := strings.Join(pipelineOrder(t, b), ","); got != "Partners,Sales,Renewals" {
			t.Fatalf("after moving Partners up twice: %s", got)
		}
		// At the top, up changes nothing; down moves it back one place.
		must(t, b.do("POST", "/settings/pipelines/"+partners+"/move", url.Values{"dir": {"up"}}), 303, "")
		must(t, b.do("POST", "/settings/pipelines/"+partners+"/move", url.Values{"dir": {"down"}}), 303, "")
		if got := strings.Join(pipelineOrder(t, b), ","); got != "Sales,Partners,Renewals" {
			t.Fatalf("after moving Partners down: %s", got)
		}
		must(t, b.do("POST", "/settings/pipelines/424242/move", url.Values{"dir": {"up"}}), 404, "")
		must(t, b.do("POST", "/settings/pipelines/"+partners+"/move", url.Values{"dir": {"up"}}), 303, "")
		// The first pipeline is the default one.
		id := newDeal(t, b, url.Values{"title": {"Where"}, "pipeline_id": {""}})
		must(t, b.do("GET", "/deals/"+id, nil), 200, "")
		if body := b.do("GET", "/deals/"+id, nil).Body.String(); !strings.Contains(body, "← Partners") {
			t.Fatal("a deal without a pipeline did not go to the first one")
		}
	})
}
