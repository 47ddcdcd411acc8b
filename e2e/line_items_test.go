package e2e

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	cd "github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"github.com/tandemcrm/tandem/internal/store"
)

// insertDeal writes one deal for the first workspace straight into the
// server's SQLite file: the deals UI is another part of the product, and
// this test is about the line items panel that the deal page embeds.
func insertDeal(t *testing.T, dataDir, currency string) string {
	t.Helper()
	db, err := store.Open(context.Background(), store.Options{DataDir: dataDir})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	const id = 4242424242
	err = db.Write(context.Background(), func(tx *store.Tx) error {
		var ws, user int64
		if err := tx.Unscoped().QueryRow(`SELECT workspace_id, user_id FROM memberships LIMIT 1`).Scan(&ws, &user); err != nil {
			return err
		}
		now := store.Micros(tx.Now)
		_, err := tx.Exec(`INSERT INTO deals (id, workspace_id, title, value, currency, pipeline_id, stage_id, owner_id,
			stage_entered_at, created_at, updated_at) VALUES (?, ?, 'Rollout for Initech', 0, ?, 1, 1, ?, ?, ?, ?)`,
			id, ws, currency, user, now, now, now)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return "4242424242"
}

// TestLineItemsInBrowser adds products in Settings → Products, then adds,
// edits and removes lines on a deal's panel without a page reload, and
// makes the deal's value follow the items. With TANDEM_LOOK=<dir> it saves
// screenshots at desktop and phone widths.
func TestLineItemsInBrowser(t *testing.T) {
	dir := t.TempDir()
	srv := StartServer(t, Options{DataDir: dir})
	ctx := Browser(t)
	SetUpWorkspace(t, ctx, srv, Owner{Workspace: "Items Co", Name: "Ivy Items", Email: "ivy@items.test", Password: "correct horse battery"})
	look := os.Getenv("TANDEM_LOOK")
	shot := func(name string) {
		if look != "" {
			Screenshot(t, ctx, filepath.Join(look, name+".png"))
		}
	}

	// The catalogue: add one product through the form, one quickly.
	Do(t, ctx,
		cd.Navigate(srv.BaseURL+"/settings/products"),
		cd.WaitVisible(cd.CSS(`#pf-name`)),
		cd.Evaluate[cd.Void](`window.__stay = 1`),
		cd.SendKeys(cd.CSS(`#pf-name`), "Seat licence"),
		cd.SendKeys(cd.CSS(`#pf-sku`), "SEAT-1"),
		cd.SendKeys(cd.CSS(`#pf-prices`), "EUR 49.99, USD 54, JPY 7900"),
		cd.SetValue(cd.CSS(`#pf-tax`), "19"),
		cd.Click(cd.CSS(`.product-form button[type=submit]`)),
		cd.WaitVisible(cd.CSS(`tr[id^="product-"]`)),
	)
	Post(t, ctx, "/settings/products", map[string][]string{"name": {"Onboarding day"}, "sku": {"ONB"}, "prices": {"EUR 1200"}, "tax": {"19"},
		"description": {"On site, up to 12 people"}})
	Post(t, ctx, "/settings/products", map[string][]string{"name": {"Legacy support"}, "prices": {"EUR 300"}})
	Do(t, ctx, cd.Navigate(srv.BaseURL+"/settings/products"), cd.WaitVisible(cd.CSS(`tr[id^="product-"]`)))
	Do(t, ctx, cd.Click(cd.CSS(`tr[id^="product-"]:first-child .row-actions button`)), cd.WaitNotPresent(cd.CSS(`tr[id^="product-"]:nth-child(3)`)))
	Do(t, ctx, cd.Navigate(srv.BaseURL+"/settings/products?archived=1"), cd.WaitVisible(cd.CSS(`.badge`)))
	if txt := Text(t, ctx, `#catalogue`); !strings.Contains(txt, "JPY 7,900") || !strings.Contains(txt, "archived") {
		t.Fatalf("catalogue: %q", txt)
	}
	shot("products-desktop")
	Do(t, ctx, cd.Click(cd.CSS(`tr[id^="product-"] .row-actions a`)), cd.WaitVisible(cd.CSS(`tr.editing input[name=name]`)))
	shot("products-edit-desktop")
	Do(t, ctx, cd.EmulateViewport(390, 900), cd.Navigate(srv.BaseURL+"/settings/products"), cd.WaitVisible(cd.CSS(`.tabs`)))
	if !Fits(t, ctx) {
		t.Error("/settings/products overflows at 390px")
	}
	shot("products-phone")
	Do(t, ctx, cd.EmulateViewport(1280, 900))

	// htmx wires up swapped-in content asynchronously (around its settle delay); a click
	// sooner than a person could make would find a plain form.
	settle := Settled()

	// The panel: add from the catalogue and a free line, edit, remove — one page load.
	deal := insertDeal(t, dir, "EUR")
	Do(t, ctx,
		cd.Navigate(srv.BaseURL+"/deals/"+deal+"/items"),
		cd.WaitVisible(cd.CSS(`#deal-items`)),
		cd.Evaluate[cd.Void](`window.__stay = 1`),
	)
	Do(t, ctx,
		cd.SetValue(cd.CSS(`#ia-product`), Eval[string](t, ctx, `document.querySelector('#ia-product option:nth-child(3)').value`)),
		cd.SetValue(cd.CSS(`#ia-quantity`), "2.5"),
		cd.SendKeys(cd.CSS(`#ia-discount`), "10"),
		cd.Click(cd.CSS(`.item-add button[type=submit]`)),
		cd.WaitVisible(cd.CSS(`tr[id^="item-"]`)), settle,
		cd.SendKeys(cd.CSS(`#ia-name`), "Travel"),
		cd.SendKeys(cd.CSS(`#ia-unit_price`), "380"),
		cd.SendKeys(cd.CSS(`#ia-tax_rate`), "0"),
		cd.Click(cd.CSS(`.item-add button[type=submit]`)),
		cd.WaitVisible(cd.CSS(`tr[id^="item-"]:nth-child(2)`)), settle,
		cd.Click(cd.CSS(`.deal-items .panel-head button`)),
		cd.WaitVisible(cd.CSS(`.deal-items .panel-head .btn-quiet`)), settle,
	)
	if txt := Text(t, ctx, `#deal-items .items-totals`); !strings.Contains(txt, "EUR 513.85") {
		t.Fatalf("totals: %q", txt)
	}
	shot("line-items-desktop")
	// Bad input shows the message in place; the rest of the page stays.
	Do(t, ctx,
		cd.SendKeys(cd.CSS(`#ia-name`), "Bad"),
		cd.SendKeys(cd.CSS(`#ia-unit_price`), "12,50"),
		cd.Click(cd.CSS(`.item-add button[type=submit]`)),
		cd.WaitVisible(cd.CSS(`.item-add .field-error`)), settle,
	)
	shot("line-items-error-desktop")
	// Escape closes an editor without saving.
	Do(t, ctx,
		cd.Click(cd.CSS(`tr[id^="item-"]:first-child .row-actions a`)),
		cd.WaitVisible(cd.CSS(`tr.editing #ie-name`)), settle,
		cd.SendKeys(cd.CSS(`#ie-name`), kb.Escape),
		cd.WaitNotPresent(cd.CSS(`tr.editing`)), settle,
	)
	Do(t, ctx,
		cd.Click(cd.CSS(`tr[id^="item-"]:nth-child(2) .row-actions a`)),
		cd.WaitVisible(cd.CSS(`tr.editing #ie-quantity`)),
	)
	shot("line-items-edit-desktop")
	Do(t, ctx,
		settle,
		cd.SetValue(cd.CSS(`#ie-quantity`), "2"),
		cd.Click(cd.CSS(`tr.editing button[type=submit]`)),
		cd.WaitNotPresent(cd.CSS(`tr.editing`)),
	)
	if txt := Text(t, ctx, `#deal-items .items-totals`); !strings.Contains(txt, "EUR 893.85") {
		t.Fatalf("totals after edit: %q", txt)
	}
	if Eval[int](t, ctx, `window.__stay || 0`) != 1 {
		t.Fatal("the page reloaded")
	}
	Do(t, ctx, cd.EmulateViewport(390, 900), cd.Reload(), cd.WaitVisible(cd.CSS(`#deal-items`)))
	if !Fits(t, ctx) {
		t.Error("line items overflow at 390px")
	}
	shot("line-items-phone")
}
