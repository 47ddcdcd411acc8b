package e2e

import (
	"fmt"
	"net/url"
	"os"
	"testing"

	cd "github.com/chromedp/chromedp"
)

// TestLookPipeline fills a board with deals and photographs the pipeline
// pages at desktop and phone width. It runs only when TANDEM_LOOK names a
// folder:
//
//	TANDEM_LOOK=/tmp/look go test ./e2e -run LookPipeline
func TestLookPipeline(t *testing.T) {
	if os.Getenv("TANDEM_LOOK") == "" {
		t.Skip("set TANDEM_LOOK to a folder to take screenshots")
	}
	srv := StartServer(t, Options{})
	ctx := Browser(t)
	SetUpWorkspace(t, ctx, srv, Owner{Workspace: "Northwind Sales", Name: "Nora Owner", Email: "nora@northwind.example", Password: "correct horse battery staple"})
	seedPeople(t, ctx, srv)
	Do(t, ctx, cd.Navigate(srv.BaseURL+"/companies"), cd.WaitVisible(cd.CSS(`#company-rows tr`)))
	companies := Eval[[]string](t, ctx, `[...document.querySelectorAll("#company-rows tr")].map(tr => tr.id.replace("company-", ""))`)
	Do(t, ctx, cd.Navigate(srv.BaseURL+"/pipeline"), cd.WaitVisible(cd.CSS(`[data-board]`)))
	stages := Eval[[]string](t, ctx, `[...document.querySelectorAll("[data-board] [data-stage]")].map(s => s.dataset.stage)`)
	products := []string{"CRM rollout", "Support plan", "Pilot", "Renewal", "Training", "Expansion", "Data migration"}
	for i := range 24 {
		js := `fetch("/deals", {method: "POST", body: new URLSearchParams(` + jsString(url.Values{"title": {products[i%len(products)] + fmt.Sprintf(" %d", i+1)},
			"value": {fmt.Sprintf("%d.%02d", 1500+i*1375%40000, i*7%100)}, "currency": {[]string{"USD", "USD", "EUR"}[i%3]}}.Encode()) +
			`)}).then(r => r.url.split("/").pop())`
		id, err := cd.Run(ctx, cd.Evaluate[string](js, cd.EvalAwaitPromise))
		if err != nil {
			t.Fatal(err)
		}
		Post(t, ctx, "/deals/"+id+"/edit", url.Values{"field": {"company"}, "value": {companies[i%len(companies)]}})
		Post(t, ctx, "/deals/"+id+"/edit", url.Values{"field": {"stage"}, "value": {stages[(i*3)%len(stages)]}})
		if i%4 != 3 {
			Post(t, ctx, "/deals/"+id+"/edit", url.Values{"field": {"expected_close"}, "value": {fmt.Sprintf("2027-%02d-%02d", 1+i%12, 1+i*5%28)}})
		}
		if i%3 == 0 {
			Post(t, ctx, "/deals/"+id+"/edit", url.Values{"field": {"tags"}, "value": {[]string{"vip,renewal", "inbound", "partner"}[i%3/1%3]}})
		}
	}
	Do(t, ctx, cd.Navigate(srv.BaseURL+"/pipeline"), cd.WaitVisible(cd.CSS(`[data-board] .card`)))
	look(t, ctx, "pipeline-board")
	// A deal view's order and card fields, and the field picker open.
	Do(t, ctx, cd.Navigate(srv.BaseURL+"/pipeline?sort=expected_close&fields=company,expected_close,tags,stage_entered_at"),
		cd.WaitVisible(cd.CSS(`[data-board] .card-fields`)))
	look(t, ctx, "pipeline-board-fields")
	Do(t, ctx, cd.Click(cd.CSS(`.board-fields summary`)), cd.WaitVisible(cd.CSS(`.board-fields .popover-body`)))
	look(t, ctx, "pipeline-board-picker")
	Do(t, ctx, cd.Navigate(srv.BaseURL+"/deals"), cd.WaitVisible(cd.CSS(`.deal-table`)))
	look(t, ctx, "pipeline-deals")
	Do(t, ctx, cd.Navigate(srv.BaseURL+"/settings/pipelines"), cd.WaitVisible(cd.CSS(`.pipeline-edit`)))
	look(t, ctx, "pipeline-settings")
	Do(t, ctx, cd.Navigate(srv.BaseURL+"/companies/"+companies[0]), cd.WaitVisible(cd.CSS(`.record-deals .deal-panel`)))
	look(t, ctx, "pipeline-company")
	Do(t, ctx, cd.Click(cd.CSS(`.record-deals .deal-panel a`)), cd.WaitVisible(cd.CSS(`.record-history`)))
	look(t, ctx, "pipeline-deal")
	// Nothing but the board itself scrolls sideways on a phone.
	for _, path := range []string{"/pipeline", "/deals", "/settings/pipelines", "/companies/" + companies[0]} {
		Do(t, ctx, cd.EmulateViewport(390, 844), cd.Navigate(srv.BaseURL+path), cd.WaitVisible(cd.CSS(`.content`)))
		if !Fits(t, ctx) {
			t.Errorf("%s overflows a phone's width", path)
		}
	}
}
