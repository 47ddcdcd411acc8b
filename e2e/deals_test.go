package e2e

import (
	"context"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/chromedp/chromedp/kb"

	cd "github.com/chromedp/chromedp"
)

// dragTo drags the element matching from onto the element matching to with
// stepped mouse moves, as a person would (pointer events, no HTML5 DnD).
func dragTo(t *testing.T, ctx context.Context, from, to string) {
	t.Helper()
	xy := func(sel string) [2]float64 {
		return Eval[[2]float64](t, ctx, `(() => { const e = document.querySelector(`+jsString(sel)+`); e.scrollIntoView({block: "nearest", inline: "nearest"});
			const r = e.getBoundingClientRect(); return [r.left + r.width / 2, r.top + Math.min(r.height / 2, 40)]; })()`)
	}
	a := xy(from)
	b := xy(to)
	steps := []cd.Action[cd.Void]{cd.MouseEvent(cd.MouseMoved, a[0], a[1]), cd.MouseEvent(cd.MousePressed, a[0], a[1], cd.ButtonLeft, cd.ClickCount(1))}
	for i := 1; i <= 12; i++ {
		f := float64(i) / 12
		steps = append(steps, cd.MouseEvent(cd.MouseMoved, a[0]+(b[0]-a[0])*f, a[1]+(b[1]-a[1])*f, cd.ButtonLeft))
	}
	steps = append(steps, cd.MouseEvent(cd.MouseReleased, b[0], b[1], cd.ButtonLeft, cd.ClickCount(1)))
	Do(t, ctx, steps...)
}

// column is the stage name of the column a deal's card is in ("" if none).
func column(t *testing.T, ctx context.Context, title string) string {
	return Eval[string](t, ctx, `(() => { const a = [...document.querySelectorAll(".card .card-title")].find(a => a.textContent === `+jsString(title)+`);
		return a ? a.closest("[data-stage]").getAttribute("aria-label") : ""; })()`)
}

// TestPipelineBoard drags a deal across stages and to Lost with a reason
// from the list, reloads, and sees that it stayed; it also undoes a move.
func TestPipelineBoard(t *testing.T) {
	srv := StartServer(t, Options{})
	ctx := Browser(t)
	SetUpWorkspace(t, ctx, srv, Owner{Workspace: "Board Co", Name: "Bo Board", Email: "bo@board.example", Password: "correct horse battery staple"})
	for _, d := range [][2]string{{"Acme renewal", "12000"}, {"Globex pilot", "4500.50"}, {"Initech rollout", "80000"}} {
		Post(t, ctx, "/deals", url.Values{"title": {d[0]}, "value": {d[1]}, "currency": {"USD"}})
	}
	Do(t, ctx, cd.Navigate(srv.BaseURL+"/pipeline"), cd.WaitVisible(cd.CSS(`[data-board] .card`)))
	if got := column(t, ctx, "Acme renewal"); got != "Lead in" {
		t.Fatalf("new deal in %q", got)
	}
	first := `[data-board] [data-stage]:nth-of-type(1)`
	if n := Text(t, ctx, first+` [data-count]`); n != "3" {
		t.Fatalf("count %q", n)
	}

	// Drag to Proposal: saved at once, totals follow, no reload.
	Eval[bool](t, ctx, `window.__noReload = true`)
	dragTo(t, ctx, `[aria-label="Lead in"] .card`, `[data-board] [aria-label="Proposal"] [data-cards]`)
	Do(t, ctx, cd.Poll[cd.Void](`document.querySelector('[aria-label="Proposal"] [data-count]').textContent === "1"`))
	moved := Eval[string](t, ctx, `document.querySelector('[aria-label="Proposal"] .card-title').textContent`)
	if !Eval[bool](t, ctx, `window.__noReload === true`) {
		t.Fatal("the page reloaded")
	}
	if got := Text(t, ctx, `[aria-label="Proposal"] [data-sum]`); !strings.HasPrefix(got, "USD ") {
		t.Fatalf("Proposal sum %q", got)
	}
	if !strings.Contains(Text(t, ctx, `[data-toast]`), "Moved to Proposal") {
		t.Fatalf("toast: %q", Text(t, ctx, `[data-toast]`))
	}

	// Undo puts it back; then drag it on to Negotiation.
	Do(t, ctx, cd.Click(cd.CSS(`[data-undo]`)),
		cd.Poll[cd.Void](`document.querySelector('[aria-label="Proposal"] [data-count]').textContent === "0"`))
	if got := column(t, ctx, moved); got != "Lead in" {
		t.Fatalf("after undo in %q", got)
	}
	dragTo(t, ctx, `[aria-label="Lead in"] .card`, `[data-board] [aria-label="Negotiation"] [data-cards]`)
	Do(t, ctx, cd.Poll[cd.Void](`document.querySelector('[aria-label="Negotiation"] [data-count]').textContent === "1"`))
	Do(t, ctx, cd.Reload(), cd.WaitVisible(cd.CSS(`[data-board] .card`)))
	if got := column(t, ctx, moved); got != "Negotiation" {
		t.Fatalf("after reload %q is in %q", moved, got)
	}
	// The undone move left no stay in Proposal in the deal's stage history
	// (newest first).
	movedHref := Eval[string](t, ctx, `[...document.querySelectorAll('[data-board] .card-title')].find(a => a.textContent === `+strconv.Quote(moved)+`).getAttribute("href")`)
	Do(t, ctx, cd.Navigate(srv.BaseURL+movedHref), cd.WaitVisible(cd.CSS(`.record-history`)))
	if got := Eval[string](t, ctx, `[...document.querySelectorAll(".record-history tbody td:first-child")].map(td => td.textContent).join(", ")`); got != "Negotiation, Lead in" {
		t.Fatalf("stage history after an undone move: %s", got)
	}
	Do(t, ctx, cd.Navigate(srv.BaseURL+"/pipeline"), cd.WaitVisible(cd.CSS(`[data-board] .card`)))
	if dir := os.Getenv("TANDEM_LOOK"); dir != "" {
		shoot(t, ctx, filepath.Join(dir, "board-desktop.png"), 1280, 800)
		shoot(t, ctx, filepath.Join(dir, "board-phone.png"), 390, 844)
		Do(t, ctx, cd.EmulateViewport(1280, 800), cd.Reload(), cd.WaitVisible(cd.CSS(`[data-board] .card`)))
	}

	// The keyboard moves a focused card one stage to the right.
	Do(t, ctx, cd.Focus(cd.CSS(`[aria-label="Lead in"] .card`)),
		cd.KeyEvent(kb.ArrowRight, cd.KeyModifiers(cd.ModifierShift)),
		cd.Poll[cd.Void](`document.querySelector('[aria-label="Qualified"] [data-count]').textContent === "1"`))
	Do(t, ctx, cd.Reload(), cd.WaitVisible(cd.CSS(`[data-board] .card`)))
	if n := Text(t, ctx, `[aria-label="Qualified"] [data-count]`); n != "1" {
		t.Fatalf("keyboard move did not stay: Qualified has %s", n)
	}

	// Drag to Lost: a reason from the list, then it leaves the board.
	lost := Eval[string](t, ctx, `document.querySelector('[aria-label="Lead in"] .card-title').textContent`)
	dragTo(t, ctx, `[aria-label="Lead in"] .card`, `[data-drop="lost"]`)
	Do(t, ctx, cd.WaitVisible(cd.CSS(`[data-lost-dialog] select`)),
		cd.SetValue(cd.CSS(`[data-lost-dialog] select`), "No budget"),
		cd.Click(cd.CSS(`[data-lost-ok]`)),
		cd.Poll[cd.Void](`document.querySelector('[aria-label="Lead in"] [data-count]').textContent === "0"`))
	// Undo brings it back open; losing it again keeps it lost.
	Do(t, ctx, cd.Click(cd.CSS(`[data-undo]`)),
		cd.Poll[cd.Void](`document.querySelector('[aria-label="Lead in"] [data-count]').textContent === "1"`))
	if got := column(t, ctx, lost); got != "Lead in" {
		t.Fatalf("after undoing lost, %q is in %q", lost, got)
	}
	dragTo(t, ctx, `[aria-label="Lead in"] .card`, `[data-drop="lost"]`)
	Do(t, ctx, cd.WaitVisible(cd.CSS(`[data-lost-dialog] select`)),
		cd.SetValue(cd.CSS(`[data-lost-dialog] select`), "No budget"),
		cd.Click(cd.CSS(`[data-lost-ok]`)),
		cd.Poll[cd.Void](`document.querySelector('[aria-label="Lead in"] [data-count]').textContent === "0"`))
	Do(t, ctx, cd.Reload(), cd.WaitVisible(cd.CSS(`[data-board]`)))
	if got := column(t, ctx, lost); got != "" {
		t.Fatalf("lost deal still on the board in %q", got)
	}
	Do(t, ctx, cd.Navigate(srv.BaseURL+"/deals?filter="+url.QueryEscape(`status = "lost"`)), cd.WaitVisible(cd.CSS(`.deal-table`)))
	if body := Text(t, ctx, `.deal-table`); !strings.Contains(body, lost) {
		t.Fatalf("lost list lacks %q: %s", lost, body)
	}
	Do(t, ctx, cd.Click(cd.Search(`//a[text()="`+lost+`"]`)), cd.WaitVisible(cd.CSS(`.record-history`)))
	page := Text(t, ctx, `body`)
	if !strings.Contains(page, "No budget") || !strings.Contains(page, "lost") {
		t.Fatalf("deal page lacks the reason:\n%.600s", page)
	}
	if dir := os.Getenv("TANDEM_LOOK"); dir != "" {
		shoot(t, ctx, filepath.Join(dir, "deal-desktop.png"), 1280, 800)
		shoot(t, ctx, filepath.Join(dir, "deal-phone.png"), 390, 844)
	}
}
