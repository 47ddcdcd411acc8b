package api_test

import (
	"context"
	"net/http"
	"testing"

	"github.com/tandemcrm/tandem/internal/account"
	"github.com/tandemcrm/tandem/internal/crm"
	"github.com/tandemcrm/tandem/internal/store"
	"github.com/tandemcrm/tandem/internal/store/testdb"
	"github.com/tandemcrm/tandem/internal/web/api"
)

// insertDeal writes a deal row directly (the deals API is another part's).
func insertDeal(t *testing.T, db *store.DB, p crm.Principal, currency string) string {
	t.Helper()
	var id crm.ID
	err := db.Write(context.Background(), func(tx *store.Tx) error {
		id = tx.NewID()
		now := store.Micros(tx.Now)
		_, err := tx.Exec(`INSERT INTO deals (id, workspace_id, title, value, currency, pipeline_id, stage_id, owner_id,
			stage_entered_at, created_at, updated_at) VALUES (?, ?, 'Big deal', 0, ?, 1, 1, ?, ?, ?, ?)`,
			id, p.WorkspaceID, currency, p.UserID, now, now, now)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return id.String()
}

func TestProductsAPI(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		mux := http.NewServeMux()
		api.New(mux, api.Deps{DB: db})
		p := newWorkspace(t, db, "Prod Co", crm.RoleManager)
		_, key := newKey(t, db, p, account.NewAPIKey{Name: "t"})
		other := newWorkspace(t, db, "Other Prod", crm.RoleOwner)
		_, otherKey := newKey(t, db, other, account.NewAPIKey{Name: "t"})

		_, w := send(t, mux, key, step{name: "create", method: "POST", path: "/api/v1/products", status: 201,
			body: `{"name":"Widget","sku":"W-1","tax_rate":"20","prices":[{"currency":"USD","unit_price":"12.50"},{"currency":"JPY","unit_price":1800}]}`,
			has:  []string{`"tax_rate":2000`, `"currency":"JPY","unit_price":1800,"amount":"1800"`, `"unit_price":1250,"amount":"12.50"`, `"active":true`}})
		wid := w["id"].(string)
		send(t, mux, key, step{name: "duplicate sku", method: "POST", path: "/api/v1/products", status: 422,
			body: `{"name":"Copy","sku":"w-1"}`, has: []string{`"sku":"Another product already has this SKU."`, `"code":"invalid"`}})
		send(t, mux, key, step{name: "bad prices", method: "POST", path: "/api/v1/products", status: 422,
			body: `{"name":"Bad","prices":[{"currency":"JPY","unit_price":"1.5"},{"currency":"USD","unit_price":12.5},{"currency":"ZZZ","unit_price":1}]}`,
			has:  []string{`"prices.0.unit_price":"JPY has no decimals."`, `"prices.1.unit_price"`, `"prices.2.currency"`}})
		send(t, mux, key, step{name: "price of the wrong type", method: "POST", path: "/api/v1/products", status: 422,
			body: `{"name":"Bad","prices":[{"currency":"USD","unit_price":true}]}`, has: []string{"prices[0].unit_price"}})
		send(t, mux, otherKey, step{name: "other workspace get", method: "GET", path: "/api/v1/products/" + wid, status: 404})
		send(t, mux, otherKey, step{name: "other workspace patch", method: "PATCH", path: "/api/v1/products/" + wid, status: 404, body: `{"name":"x"}`})
		send(t, mux, otherKey, step{name: "other workspace archive", method: "POST", path: "/api/v1/products/" + wid + "/archive", status: 404})
		send(t, mux, otherKey, step{name: "other workspace list", method: "GET", path: "/api/v1/products", status: 200, has: []string{`"data":[]`}})
		send(t, mux, key, step{name: "patch", method: "PATCH", path: "/api/v1/products/" + wid, status: 200,
			header: map[string]string{"If-Match": `"1"`}, body: `{"description":"The classic"}`, has: []string{`"version":2`, "The classic"}})
		send(t, mux, key, step{name: "stale", method: "PATCH", path: "/api/v1/products/" + wid, status: 412,
			header: map[string]string{"If-Match": `"1"`}, body: `{"description":"x"}`})
		send(t, mux, key, step{name: "more", method: "POST", path: "/api/v1/products", status: 201, body: `{"name":"Gadget","prices":[{"currency":"EUR","unit_price":500}]}`})
		send(t, mux, key, step{name: "more", method: "POST", path: "/api/v1/products", status: 201, body: `{"name":"Doohickey"}`})
		_, pg := send(t, mux, key, step{name: "list sorted", method: "GET", path: "/api/v1/products?sort=name&limit=2&fields=name", status: 200,
			has: []string{`"Doohickey"`, `"Gadget"`, `"total_estimate":3`}, hasNot: []string{"Widget", "prices"}})
		send(t, mux, key, step{name: "page 2", method: "GET", path: "/api/v1/products?sort=name&limit=2&fields=name&cursor=" + pg["next_cursor"].(string),
			status: 200, has: []string{`"Widget"`}, hasNot: []string{"Gadget"}})
		send(t, mux, key, step{name: "filter", method: "GET", path: `/api/v1/products?filter=price.currency%20%3D%20%22EUR%22`, status: 200,
			has: []string{"Gadget"}, hasNot: []string{"Widget", "Doohickey"}})
		send(t, mux, key, step{name: "bad filter", method: "GET", path: `/api/v1/products?filter=nme%20%3D%20%22x%22`, status: 422, has: []string{`"filter"`}})
		send(t, mux, key, step{name: "archive", method: "POST", path: "/api/v1/products/" + wid + "/archive", status: 200, has: []string{`"active":false`}})
		send(t, mux, key, step{name: "archived filter", method: "GET", path: `/api/v1/products?filter=active%20%3D%20false`, status: 200,
			has: []string{"Widget"}, hasNot: []string{"Gadget"}})
		send(t, mux, key, step{name: "unarchive", method: "POST", path: "/api/v1/products/" + wid + "/unarchive", status: 200, has: []string{`"active":true`}})

		// Members read the catalogue but do not change it.
		var mem crm.Principal
		db.Write(context.Background(), func(tx *store.Tx) error {
			u, err := account.CreateUser(tx, account.NewUser{Email: "mem@prod.example", Name: "Mem", Password: "a long enough phrase"})
			if err != nil {
				return err
			}
			mem = crm.Principal{UserID: u.ID, WorkspaceID: p.WorkspaceID, Role: crm.RoleMember}
			return account.AddMember(tx, p.WorkspaceID, u.ID, crm.RoleMember, crm.System)
		})
		_, memKey := newKey(t, db, mem, account.NewAPIKey{Name: "m"})
		send(t, mux, memKey, step{name: "member reads", method: "GET", path: "/api/v1/products/" + wid, status: 200})
		send(t, mux, memKey, step{name: "member cannot create", method: "POST", path: "/api/v1/products", status: 403, body: `{"name":"x"}`})
		send(t, mux, key, step{name: "delete", method: "DELETE", path: "/api/v1/products/" + wid, status: 204})
		send(t, mux, key, step{name: "gone", method: "GET", path: "/api/v1/products/" + wid, status: 404})
	})
}

func TestDealItemsAPI(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		mux := http.NewServeMux()
		api.New(mux, api.Deps{DB: db})
		p := newWorkspace(t, db, "Items Co", crm.RoleAdmin)
		_, key := newKey(t, db, p, account.NewAPIKey{Name: "t"})
		other := newWorkspace(t, db, "Other Items", crm.RoleOwner)
		_, otherKey := newKey(t, db, other, account.NewAPIKey{Name: "t"})
		deal := insertDeal(t, db, p, "EUR")
		theirDeal := insertDeal(t, db, other, "EUR")
		_, prod := send(t, mux, key, step{name: "product", method: "POST", path: "/api/v1/products", status: 201,
			body: `{"name":"Seat","sku":"S-1","tax_rate":1900,"prices":[{"currency":"EUR","unit_price":"49.99"}]}`})
		pid := prod["id"].(string)
		_, theirProd := send(t, mux, otherKey, step{name: "their product", method: "POST", path: "/api/v1/products", status: 201,
			body: `{"name":"Theirs","prices":[{"currency":"EUR","unit_price":1}]}`})
		base := "/api/v1/deals/" + deal + "/items"

		_, a := send(t, mux, key, step{name: "add from product", method: "POST", path: base, status: 201,
			body: `{"product_id":"` + pid + `","quantity":2.5,"discount":"10"}`,
			has: []string{`"name":"Seat"`, `"quantity":"2.5"`, `"quantity_milli":2500`, `"unit_price":4999`, `"discount":1000`,
				`"subtotal":12498`, `"net":11248`, `"tax":2137`, `"total":13385`, `"total":"133.85"`, `"currency":"EUR"`}})
		aid := a["id"].(string)
		_, b := send(t, mux, key, step{name: "free line", method: "POST", path: base, status: 201,
			body: `{"name":"Onboarding","unit_price":150000}`, has: []string{`"product_id":null`, `"position":1`}})
		bid := b["id"].(string)
		for _, bad := range []struct{ name, body, field string }{
			{"zero quantity", `{"name":"x","unit_price":1,"quantity":0}`, `"quantity"`},
			{"too many decimals", `{"name":"x","unit_price":1,"quantity":"1.0001"}`, `"quantity"`},
			{"price in cents with decimals", `{"name":"x","unit_price":12.5}`, `"unit_price"`},
			{"price with a comma", `{"name":"x","unit_price":"12,50"}`, `"unit_price"`},
			{"discount over 100%", `{"name":"x","unit_price":1,"discount":"150"}`, `"discount"`},
			{"overflow", `{"name":"x","unit_price":9007199254740991,"quantity":2}`, `"unit_price"`},
			{"no price", `{"name":"x"}`, `"unit_price"`},
			{"another workspace's product", `{"product_id":"` + theirProd["id"].(string) + `"}`, `"product_id":"No such product."`},
		} {
			send(t, mux, key, step{name: bad.name, method: "POST", path: base, status: 422, body: bad.body, has: []string{bad.field, `"code":"invalid"`}})
		}
		send(t, mux, key, step{name: "wrong type", method: "POST", path: base, status: 422, body: `{"name":"x","quantity":[1]}`, has: []string{"quantity"}})

		// Value follows the items once switched on.
		send(t, mux, key, step{name: "drive value", method: "PATCH", path: base, status: 200, body: `{"value_from_items":true}`,
			has: []string{`"value_from_items":true`, `"value":161248`, `"net":161248`}})
		send(t, mux, key, step{name: "patch line", method: "PATCH", path: base + "/" + bid, status: 200,
			header: map[string]string{"If-Match": `"1"`}, body: `{"quantity":"2"}`, has: []string{`"version":2`, `"subtotal":300000`}})
		send(t, mux, key, step{name: "stale line", method: "PATCH", path: base + "/" + bid, status: 412,
			header: map[string]string{"If-Match": `"1"`}, body: `{"quantity":"3"}`})
		send(t, mux, key, step{name: "value moved", method: "GET", path: base, status: 200, has: []string{`"value":311248`}})
		send(t, mux, key, step{name: "reorder", method: "POST", path: base + "/reorder", status: 200,
			body: `{"ids":["` + bid + `","` + aid + `"]}`, has: []string{`"data":[{"id":"` + bid + `"`}})
		send(t, mux, key, step{name: "bad reorder", method: "POST", path: base + "/reorder", status: 422, body: `{"ids":["` + bid + `"]}`, has: []string{`"ids"`}})

		// Another workspace: deal and lines are not found, and nothing changes.
		for _, s := range []step{
			{method: "GET", path: base},
			{method: "POST", path: base, body: `{"name":"x","unit_price":1}`},
			{method: "PATCH", path: base, body: `{"value_from_items":false}`},
			{method: "GET", path: base + "/" + aid},
			{method: "PATCH", path: base + "/" + aid, body: `{"quantity":"9"}`},
			{method: "DELETE", path: base + "/" + aid},
			{method: "POST", path: base + "/reorder", body: `{"ids":["` + aid + `","` + bid + `"]}`},
		} {
			s.name, s.status = "other workspace "+s.method+" "+s.path, 404
			send(t, mux, otherKey, s)
		}
		send(t, mux, key, step{name: "line through their deal", method: "GET", path: "/api/v1/deals/" + theirDeal + "/items/" + aid, status: 404})
		send(t, mux, key, step{name: "bad id", method: "GET", path: "/api/v1/deals/abc/items", status: 404})
		send(t, mux, key, step{name: "remove", method: "DELETE", path: base + "/" + aid, status: 204})
		send(t, mux, key, step{name: "after remove", method: "GET", path: base, status: 200, has: []string{`"value":300000`}, hasNot: []string{aid}})
	})
}
