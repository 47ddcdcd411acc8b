package web_test

import (
	"context"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/tandemcrm/tandem/internal/crm"
	"github.com/tandemcrm/tandem/internal/store"
	"github.com/tandemcrm/tandem/internal/store/testdb"
)

// firstDeal inserts a deal for the only workspace and its owner (the deals
// UI is another part's) and returns its id.
func firstDeal(t *testing.T, db *store.DB, currency string) string {
	t.Helper()
	var id crm.ID
	err := db.Write(context.Background(), func(tx *store.Tx) error {
		var ws, user crm.ID
		if err := tx.Unscoped().QueryRow(`SELECT workspace_id, user_id FROM memberships ORDER BY workspace_id LIMIT 1`).Scan(&ws, &user); err != nil {
			return err
		}
		id = tx.NewID()
		now := store.Micros(tx.Now)
		_, err := tx.Exec(`INSERT INTO deals (id, workspace_id, title, value, currency, pipeline_id, stage_id, owner_id,
			stage_entered_at, created_at, updated_at) VALUES (?, ?, 'Rollout', 0, ?, 1, 1, ?, ?, ?, ?)`, id, ws, currency, user, now, now, now)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return id.String()
}

var htmx = []string{"HX-Request", "true"}

func TestProductsAndLineItemsUI(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		b := signedIn(t, db)
		rec := b.do("GET", "/settings/products", nil)
		must(t, rec, 200, rec.Body.String(), "No products yet", `href="/settings/products" class="on"`)

		// Add through the inline form (htmx answers with the catalogue fragment).
		rec = b.do("POST", "/settings/products", url.Values{"name": {"Seat"}, "sku": {"S-1"}, "prices": {"EUR 49.99, JPY 5000"}, "tax": {"19"}}, htmx...)
		must(t, rec, 200, rec.Body.String(), `id="catalogue"`, "Seat", `<span class="price">EUR 49.99</span>`, `<span class="price">JPY 5,000</span>`, "19%")
		if strings.Contains(rec.Body.String(), "<html") {
			t.Fatal("htmx got a whole page")
		}
		rec = b.do("POST", "/settings/products", url.Values{"name": {"Bad"}, "sku": {"s-1"}, "prices": {"JPY 1.5"}, "tax": {"x"}}, htmx...)
		must(t, rec, 422, rec.Body.String(), "JPY has no decimals.", "Another product already has this SKU.", `value="Bad"`)
		id := regexp.MustCompile(`id="product-(\d+)"`).FindStringSubmatch(b.do("GET", "/settings/products", nil).Body.String())[1]
		rec = b.do("GET", "/settings/products?edit="+id, nil, htmx...)
		must(t, rec, 200, rec.Body.String(), `value="EUR 49.99, JPY 5000"`, `name="version" value="1"`)
		rec = b.do("POST", "/settings/products/"+id, url.Values{"name": {"Seat licence"}, "sku": {"S-1"}, "prices": {"EUR 50"}, "tax": {"19"}, "version": {"1"}}, htmx...)
		must(t, rec, 200, rec.Body.String(), "Seat licence", "EUR 50.00</span>")
		rec = b.do("POST", "/settings/products/"+id, url.Values{"name": {"Stale"}, "prices": {""}, "version": {"1"}}, htmx...)
		must(t, rec, 422, rec.Body.String(), "changed by someone else")
		// Without JavaScript: a redirect and a flash.
		rec = b.do("POST", "/settings/products", url.Values{"name": {"Setup day"}, "prices": {"EUR 800"}})
		must(t, rec, 303, rec.Body.String())

		deal := firstDeal(t, db, "EUR")
		base := "/deals/" + deal + "/items"
		rec = b.do("GET", base, nil, htmx...)
		must(t, rec, 200, rec.Body.String(), `id="deal-items"`, "No line items yet.", "Seat licence (S-1) · 50.00", "Setup day · 800.00")
		rec = b.do("POST", base, url.Values{"product_id": {id}, "quantity": {"2.5"}, "discount": {"10"}}, htmx...)
		must(t, rec, 200, rec.Body.String(), "Seat licence", "2.5", "125.00", `data-total="discount">−12.50`, `data-total="tax">21.38`, "EUR 133.88")
		if !strings.Contains(rec.Header().Get("HX-Trigger"), `"dealItemsChanged"`) {
			t.Fatalf("no HX-Trigger: %v", rec.Header())
		}
		rec = b.do("POST", base, url.Values{"name": {"Travel"}, "quantity": {"0"}, "unit_price": {"12,50"}}, htmx...)
		must(t, rec, 422, rec.Body.String(), "Enter a quantity above 0", "Enter a number like 12.50", `value="Travel"`)
		rec = b.do("POST", base, url.Values{"name": {"Travel"}, "unit_price": {"300"}}, htmx...)
		must(t, rec, 200, rec.Body.String(), "Travel", "EUR 433.88")
		rec = b.do("POST", base+"/value", url.Values{"on": {"1"}}, htmx...)
		must(t, rec, 200, rec.Body.String(), "Deal value follows the items")
		var value int64
		db.Read(context.Background(), func(tx *store.Tx) error {
			return tx.Unscoped().QueryRow(`SELECT value FROM deals WHERE id = ?`, deal).Scan(&value)
		})
		if value != 41250 {
			t.Fatalf("deal value %d, want the net 412.50", value)
		}
		items := regexp.MustCompile(`id="item-(\d+)"`).FindAllStringSubmatch(rec.Body.String(), -1)
		rec = b.do("GET", base+"?edit="+items[1][1], nil, htmx...)
		must(t, rec, 200, rec.Body.String(), `value="300.00"`)
		rec = b.do("POST", base+"/"+items[1][1], url.Values{"name": {"Travel"}, "quantity": {"2"}, "unit_price": {"300.00"}, "discount": {""}, "tax_rate": {""}, "version": {"1"}}, htmx...)
		must(t, rec, 200, rec.Body.String(), "600.00", "EUR 733.88")
		rec = b.do("POST", base+"/"+items[1][1]+"/move", url.Values{"dir": {"up"}}, htmx...)
		if got := regexp.MustCompile(`id="item-(\d+)"`).FindAllStringSubmatch(rec.Body.String(), -1); got[0][1] != items[1][1] {
			t.Fatalf("move up: %v", got)
		}
		rec = b.do("POST", base+"/"+items[0][1]+"/delete", nil, htmx...)
		must(t, rec, 200, rec.Body.String(), "EUR 600.00")
		// The page of its own (no JavaScript) and the redirect after a plain post.
		rec = b.do("GET", base, nil)
		must(t, rec, 200, rec.Body.String(), "<html", "Rollout", `id="deal-items"`)
		rec = b.do("POST", base, url.Values{"name": {"Extra"}, "unit_price": {"1"}})
		if rec.Code != 303 || rec.Header().Get("Location") != base {
			t.Fatalf("plain post: %d %s", rec.Code, rec.Header().Get("Location"))
		}
		rec = b.do("GET", "/deals/123/items", nil, htmx...)
		must(t, rec, 404, rec.Body.String())
	})
}
