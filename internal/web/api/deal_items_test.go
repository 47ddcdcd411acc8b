package api_test

import (
	"net/http"
	"testing"

	"github.com/tandemcrm/tandem/internal/account"
	"github.com/tandemcrm/tandem/internal/crm"
	"github.com/tandemcrm/tandem/internal/store"
	"github.com/tandemcrm/tandem/internal/store/testdb"
	"github.com/tandemcrm/tandem/internal/web/api"
)

// TestDealItemsValueRangeAPI: while a deal's value follows its lines, a
// change that would make it negative or above 10^15 minor units is a 422
// with a field message and stores nothing, so the deal stays editable; the
// switch takes the deal's version as If-Match; lines come in bulk, and
// lists and single lines take fields.
func TestDealItemsValueRangeAPI(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		mux := http.NewServeMux()
		api.New(mux, api.Deps{DB: db})
		p := newWorkspace(t, db, "Credits", crm.RoleAdmin)
		_, key := newKey(t, db, p, account.NewAPIKey{Name: "t"})
		_, d := send(t, mux, key, step{name: "deal", method: "POST", path: "/api/v1/deals", status: 201, body: `{"title":"Seats"}`})
		deal := d["id"].(string)
		base := "/api/v1/deals/" + deal + "/items"

		_, x := send(t, mux, key, step{name: "list", method: "GET", path: base, status: 200, has: []string{`"deal_version":1`}})
		if x["deal_version"].(float64) != 1 {
			t.Fatalf("deal_version %v", x["deal_version"])
		}
		send(t, mux, key, step{name: "stale switch", method: "PATCH", path: base, status: 412,
			header: map[string]string{"If-Match": `"7"`}, body: `{"value_from_items":true}`, has: []string{`"code":"conflict"`}})
		send(t, mux, key, step{name: "switch on", method: "PATCH", path: base, status: 200,
			header: map[string]string{"If-Match": `"1"`}, body: `{"value_from_items":true}`, has: []string{`"value_from_items":true`, `"deal_version":2`}})
		send(t, mux, key, step{name: "stale no-op", method: "PATCH", path: base, status: 412,
			header: map[string]string{"If-Match": `"1"`}, body: `{}`})

		send(t, mux, key, step{name: "credit alone", method: "POST", path: base, status: 422,
			body: `{"name":"Credit","unit_price":"-50"}`, has: []string{`"unit_price":"The deal's value follows its line items`, "-50.00 USD"}})
		_, seats := send(t, mux, key, step{name: "seats", method: "POST", path: base, status: 201, body: `{"name":"Seats","unit_price":"100"}`})
		_, cr := send(t, mux, key, step{name: "credit", method: "POST", path: base, status: 201, body: `{"name":"Credit","unit_price":"-50"}`})
		send(t, mux, key, step{name: "value", method: "GET", path: base, status: 200, has: []string{`"value":5000`}})
		send(t, mux, key, step{name: "larger credit", method: "PATCH", path: base + "/" + cr["id"].(string), status: 422,
			body: `{"quantity":3}`, has: []string{`"unit_price"`}})
		send(t, mux, key, step{name: "remove what outweighs the credit", method: "DELETE", path: base + "/" + seats["id"].(string), status: 422,
			has: []string{`"errors":{"value":`, "-50.00 USD"}})
		send(t, mux, key, step{name: "above the maximum", method: "POST", path: base, status: 422,
			body: `{"name":"Everything","unit_price":1000000000000000}`, has: []string{`"unit_price"`, "10,000,000,000,000.00 USD"}})
		send(t, mux, key, step{name: "deal unchanged and editable", method: "PATCH", path: "/api/v1/deals/" + deal, status: 200,
			body: `{"title":"Seats, renamed"}`, has: []string{`"value_minor":5000`}})

		// Turning the switch on over a total out of range.
		_, d2 := send(t, mux, key, step{name: "deal 2", method: "POST", path: "/api/v1/deals", status: 201, body: `{"title":"Refund"}`})
		base2 := "/api/v1/deals/" + d2["id"].(string) + "/items"
		send(t, mux, key, step{name: "credit without the switch", method: "POST", path: base2, status: 201, body: `{"name":"Refund","unit_price":"-10"}`})
		send(t, mux, key, step{name: "switch on below zero", method: "PATCH", path: base2, status: 422,
			body: `{"value_from_items":true}`, has: []string{`"value_from_items":"The line items add up to -10.00 USD`}})
		send(t, mux, key, step{name: "switch still off", method: "GET", path: base2, status: 200, has: []string{`"value_from_items":false`}})

		// Bulk: all or nothing, the value checked once.
		send(t, mux, key, step{name: "bulk without items", method: "POST", path: base + "/bulk", status: 422,
			body: `{}`, has: []string{`"errors":{"items":`}})
		send(t, mux, key, step{name: "bulk invalid", method: "POST", path: base + "/bulk", status: 422,
			body: `{"items":[{"name":"Ok","unit_price":1},{"name":"No price"}]}`, has: []string{`"items.1.unit_price"`}, hasNot: []string{`"items.0`}})
		send(t, mux, key, step{name: "bulk of credits", method: "POST", path: base + "/bulk", status: 422,
			body: `{"items":[{"name":"C","unit_price":"-50"},{"name":"C","unit_price":"-50"}]}`, has: []string{`"errors":{"items":`}})
		_, bulk := send(t, mux, key, step{name: "bulk, credit first", method: "POST", path: base + "/bulk", status: 201,
			body: `{"items":[{"name":"Promo","unit_price":"-20"},{"name":"Support","unit_price":"40"}]}`,
			has:  []string{`"name":"Promo"`, `"position":2`, `"name":"Support"`, `"position":3`}})
		promo := bulk["data"].([]any)[0].(map[string]any)["id"].(string)
		send(t, mux, key, step{name: "bulk update, a line twice", method: "PATCH", path: base + "/bulk", status: 422,
			body: `{"items":[{"id":"` + promo + `","name":"P"},{"id":"` + promo + `","name":"Q"}]}`, has: []string{`"items.1.id"`}})
		send(t, mux, key, step{name: "bulk update", method: "PATCH", path: base + "/bulk", status: 200,
			body: `{"items":[{"id":"` + promo + `","unit_price":"-10"},{"id":"` + seats["id"].(string) + `","quantity":2}]}`,
			has:  []string{`"unit_price":-1000`, `"quantity":"2"`}})
		send(t, mux, key, step{name: "value after bulk", method: "GET", path: base, status: 200, has: []string{`"value":18000`}})

		// fields, and one line.
		send(t, mux, key, step{name: "list fields", method: "GET", path: base + "?fields=name", status: 200,
			has: []string{`"name":"Seats"`, `"totals"`}, hasNot: []string{`"quantity_milli"`}})
		rec, _ := send(t, mux, key, step{name: "get line", method: "GET", path: base + "/" + promo, status: 200,
			has: []string{`"name":"Promo"`, `"unit_price":-1000`, `"currency":"USD"`, `"version":2`}})
		if rec.Header().Get("ETag") != `"2"` {
			t.Fatalf("line ETag %q", rec.Header().Get("ETag"))
		}
		send(t, mux, key, step{name: "get line fields", method: "GET", path: base + "/" + promo + "?fields=total", status: 200,
			has: []string{`"id"`}, hasNot: []string{`"name"`}})
	})
}
