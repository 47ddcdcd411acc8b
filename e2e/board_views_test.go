package e2e

import (
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"

	cd "github.com/chromedp/chromedp"
)

// TestBoardViewsInBrowser filters the pipeline board with the filter
// language (a typo first: the message says where and what was meant),
// saves the filter as a view, reloads the whole board, picks the view and
// sees only the matching deals, with the column's count to match.
func TestBoardViewsInBrowser(t *testing.T) {
	srv := StartServer(t, Options{})
	ctx := Browser(t)
	SetUpWorkspace(t, ctx, srv, Owner{Workspace: "View Co", Name: "Vi Views", Email: "vi@views.example", Password: "correct horse battery staple"})
	for _, d := range [][2]string{{"Acme renewal", "12000"}, {"Globex pilot", "4500.50"}, {"Initech rollout", "80000"}} {
		Post(t, ctx, "/deals", url.Values{"title": {d[0]}, "value": {d[1]}, "currency": {"USD"}})
	}
	// Each step starts when htmx has settled the last swap: a form swapped
	// in is boosted as it settles, and one clicked before that submits as
	// a page (under CI's load the filter's second submit did).
	htmxReady := Settled()
	cards := func() string {
		return Eval[string](t, ctx, `[...document.querySelectorAll("[data-board] .card-title")].map(a => a.textContent).sort().join(", ")`)
	}
	leadCount := `document.querySelector('[aria-label="Lead in"] [data-count]').textContent`

	Do(t, ctx, cd.Navigate(srv.BaseURL+"/pipeline"), cd.WaitVisible(cd.CSS(`[data-board] .card`)), htmxReady,
		cd.SetValue(cd.CSS(`#filter-text`), `valu >= 10000`), cd.Click(cd.CSS(`.board-bar button[type=submit]`)),
		cd.WaitVisible(cd.CSS(`#filter-error`)))
	if got := Text(t, ctx, `#filter-error`); !strings.Contains(got, "at 1:1") || !strings.Contains(got, "did you mean 'value'") {
		t.Fatalf("filter error = %q", got)
	}
	Do(t, ctx, htmxReady, cd.SetValue(cd.CSS(`#filter-text`), `value >= 10000`), cd.Click(cd.CSS(`.board-bar button[type=submit]`)),
		cd.Poll[cd.Void](`!document.querySelector("#filter-error") && `+leadCount+` === "2"`))
	if got := cards(); got != "Acme renewal, Initech rollout" {
		t.Fatalf("filtered board shows %s", got)
	}

	// Save it as a view; it opens, selected.
	Do(t, ctx, htmxReady, cd.Click(cd.CSS(`.board-views .view-actions summary`)), cd.SendKeys(cd.CSS(`#view-name`), "Big deals"),
		cd.Click(cd.CSS(`[data-save-view]`)), cd.WaitVisible(cd.CSS(`.view-tabs a.on[data-view-id]`)))

	// Reload the whole board: every open deal again.
	Do(t, ctx, cd.Navigate(srv.BaseURL+"/pipeline"), cd.WaitVisible(cd.CSS(`[data-view-id]`)), htmxReady)
	if got := cards(); got != "Acme renewal, Globex pilot, Initech rollout" {
		t.Fatalf("whole board shows %s", got)
	}
	if got := Eval[string](t, ctx, leadCount); got != "3" {
		t.Fatalf("whole board counts %s", got)
	}

	// Choose the view: only its deals, and its filter in the bar.
	Do(t, ctx, cd.Click(cd.Search(`//a[@data-view-id][contains(., "Big deals")]`)), cd.WaitVisible(cd.CSS(`.view-tabs a.on[data-view-id]`)),
		cd.Poll[cd.Void](leadCount+` === "2"`))
	if got := cards(); got != "Acme renewal, Initech rollout" {
		t.Fatalf("the view shows %s", got)
	}
	if got := Eval[string](t, ctx, `document.querySelector("#filter-text").value`); got != "value >= 10000" {
		t.Fatalf("the view's filter in the bar: %q", got)
	}
	if got := Text(t, ctx, `[aria-label="Lead in"] [data-sum]`); got != "USD 92,000.00" {
		t.Fatalf("the view's sum: %q", got)
	}

	// Order the view's cards by value, lowest first, and put the owner and
	// the time in stage on them: the board shows the order in its menu, and
	// the view, now different, may be updated to keep both.
	leadTitles := `[...document.querySelectorAll('[aria-label="Lead in"] .card-title')].map(a => a.textContent).join(", ")`
	// htmx boosts the forms of swapped-in content as it settles: a form
	// submitted before that would load a whole page under the test.
	settled := Settled()
	if got := Eval[string](t, ctx, leadTitles); got != "Initech rollout, Acme renewal" {
		t.Fatalf("the view's cards, latest first: %s", got)
	}
	Do(t, ctx, settled, cd.SetValue(cd.CSS(`[data-board-sort]`), "value"),
		cd.Evaluate[cd.Void](`document.querySelector("[data-board-sort]").dispatchEvent(new Event("change", {bubbles: true}))`),
		cd.Poll[cd.Void](leadTitles+` === "Acme renewal, Initech rollout"`), cd.WaitVisible(cd.CSS(`[data-update-view]`)), settled,
		cd.Click(cd.CSS(`.board-fields summary`)), cd.Click(cd.CSS(`[data-card-field][value="owner"]`)),
		cd.Click(cd.CSS(`[data-card-field][value="stage_entered_at"]`)), cd.Click(cd.CSS(`.board-fields button[type=submit]`)),
		cd.Poll[cd.Void](`document.querySelectorAll('[data-board] .card-fields [data-field="owner"]').length === 2`), settled)
	cardFields := `[...document.querySelectorAll('[aria-label="Lead in"] .card')[0].querySelectorAll(".card-fields dt, .card-fields dd")].map(e => e.textContent.trim()).join("|")`
	if got := Eval[string](t, ctx, cardFields); got != "Owner|Vi Views|In stage|today" {
		t.Fatalf("the first card's fields: %q", got)
	}
	if got := Eval[string](t, ctx, leadTitles); got != "Acme renewal, Initech rollout" {
		t.Fatalf("choosing fields lost the order: %s", got)
	}
	Do(t, ctx, cd.Click(cd.CSS(`[data-update-view]`)), cd.Poll[cd.Void](`!document.querySelector("[data-update-view]")`), settled)
	// Back to the whole board and into the view again: it kept both.
	Do(t, ctx, cd.Navigate(srv.BaseURL+"/pipeline"), cd.WaitVisible(cd.CSS(`[data-view-id]`)), htmxReady,
		cd.Click(cd.Search(`//a[@data-view-id][contains(., "Big deals")]`)), cd.WaitVisible(cd.CSS(`.view-tabs a.on[data-view-id]`)),
		cd.Poll[cd.Void](`document.querySelectorAll('[data-board] .card-fields').length === 2`))
	if got := Eval[string](t, ctx, leadTitles); got != "Acme renewal, Initech rollout" {
		t.Fatalf("the updated view's order: %s", got)
	}
	if got := Eval[string](t, ctx, `document.querySelector("[data-board-sort]").selectedOptions[0].textContent`); got != "Lowest value" {
		t.Fatalf("the sort menu shows %q", got)
	}
	if got := Eval[string](t, ctx, cardFields); got != "Owner|Vi Views|In stage|today" {
		t.Fatalf("the updated view's card fields: %q", got)
	}

	if dir := os.Getenv("TANDEM_LOOK"); dir != "" {
		shoot(t, ctx, filepath.Join(dir, "board-view-desktop.png"), 1280, 800)
		shoot(t, ctx, filepath.Join(dir, "board-view-phone.png"), 390, 844)
		Do(t, ctx, cd.EmulateViewport(1280, 800), cd.Reload(), cd.WaitVisible(cd.CSS(`[data-board] .card`)))
	}

	// A move inside the view answers the view's totals, not the pipeline's.
	dragTo(t, ctx, `[aria-label="Lead in"] .card`, `[data-board] [aria-label="Proposal"] [data-cards]`)
	Do(t, ctx, cd.Poll[cd.Void](`document.querySelector('[aria-label="Proposal"] [data-count]').textContent === "1"`))
	if got := Eval[string](t, ctx, leadCount); got != "1" {
		t.Fatalf("after a move in the view Lead in counts %s, want 1 (the view's deals)", got)
	}
	// The next card moved there takes its place in the view's order
	// (lowest value first), not the top of the column.
	proposalTitles := `[...document.querySelectorAll('[aria-label="Proposal"] .card-title')].map(a => a.textContent).join(", ")`
	dragTo(t, ctx, `[aria-label="Lead in"] .card`, `[data-board] [aria-label="Proposal"] [data-cards]`)
	Do(t, ctx, cd.Poll[cd.Void](`document.querySelector('[aria-label="Proposal"] [data-count]').textContent === "2" && !document.querySelector(".card.saving")`))
	if got := Eval[string](t, ctx, proposalTitles); got != "Acme renewal, Initech rollout" {
		t.Fatalf("after the second move Proposal shows %s, want the view's order", got)
	}
}
