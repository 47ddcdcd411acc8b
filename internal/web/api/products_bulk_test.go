package api_test

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/tandemcrm/tandem/internal/account"
	"github.com/tandemcrm/tandem/internal/crm"
	"github.com/tandemcrm/tandem/internal/store"
	"github.com/tandemcrm/tandem/internal/store/testdb"
	"github.com/tandemcrm/tandem/internal/web/api"
)

// TestProductsBulkAPI: products are created and updated up to 1,000 at a
// time, all or nothing, with errors keyed items.N.field, like deals.
func TestProductsBulkAPI(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		mux := http.NewServeMux()
		api.New(mux, api.Deps{DB: db})
		p := newWorkspace(t, db, "Bulk Prod", crm.RoleManager)
		_, key := newKey(t, db, p, account.NewAPIKey{Name: "t"})
		var mem crm.Principal
		if err := db.Write(context.Background(), func(tx *store.Tx) error {
			u, err := account.CreateUser(tx, account.NewUser{Email: "mem@bulkprod.example", Name: "Mem", Password: "a long enough phrase"})
			if err != nil {
				return err
			}
			mem = crm.Principal{UserID: u.ID, WorkspaceID: p.WorkspaceID, Role: crm.RoleMember}
			return account.AddMember(tx, p.WorkspaceID, u.ID, crm.RoleMember, crm.System)
		}); err != nil {
			t.Fatal(err)
		}
		_, memKey := newKey(t, db, mem, account.NewAPIKey{Name: "m"})

		send(t, mux, key, step{name: "invalid item", method: "POST", path: "/api/v1/products/bulk", status: 422,
			body: `{"items":[{"name":"A","sku":"A-1"},{"name":"","prices":[{"currency":"ZZZ","unit_price":1}]}]}`,
			has:  []string{`"items.1.name"`, `"items.1.prices.0.currency"`, `"code":"invalid"`}, hasNot: []string{`"items.0`}})
		send(t, mux, key, step{name: "same SKU twice", method: "POST", path: "/api/v1/products/bulk", status: 422,
			body: `{"items":[{"name":"A","sku":"A-1"},{"name":"B","sku":"a-1"}]}`, has: []string{`"items.1.sku"`}})
		send(t, mux, key, step{name: "nothing stored", method: "GET", path: "/api/v1/products", status: 200, has: []string{`"data":[]`}})
		send(t, mux, key, step{name: "no items", method: "POST", path: "/api/v1/products/bulk", status: 422,
			body: `{"items":[]}`, has: []string{"items"}})
		send(t, mux, key, step{name: "over 1,000", method: "POST", path: "/api/v1/products/bulk", status: 422,
			body: `{"items":[` + strings.Repeat(`{"name":"x"},`, 1000) + `{"name":"x"}]}`, has: []string{"items"}})
		send(t, mux, memKey, step{name: "member", method: "POST", path: "/api/v1/products/bulk", status: 403,
			body: `{"items":[{"name":"Mine"}]}`})
		_, made := send(t, mux, key, step{name: "create", method: "POST", path: "/api/v1/products/bulk", status: 201,
			body: `{"items":[{"name":"A","sku":"A-1","prices":[{"currency":"USD","unit_price":"9.99"}]},{"name":"B","tax_rate":"20"}]}`,
			has:  []string{`"name":"A"`, `"unit_price":999`, `"name":"B"`, `"tax_rate":2000`, `"version":1`}})
		data := made["data"].([]any)
		a, b := data[0].(map[string]any)["id"].(string), data[1].(map[string]any)["id"].(string)
		send(t, mux, key, step{name: "update with an unknown id", method: "PATCH", path: "/api/v1/products/bulk", status: 422,
			body: `{"items":[{"id":"` + a + `","name":"A2"},{"id":"123","name":"X"}]}`, has: []string{`"items.1.id"`}})
		send(t, mux, key, step{name: "not renamed", method: "GET", path: "/api/v1/products/" + a, status: 200, has: []string{`"name":"A"`}})
		send(t, mux, key, step{name: "update", method: "PATCH", path: "/api/v1/products/bulk", status: 200,
			body: `{"items":[{"id":"` + a + `","name":"A2"},{"id":"` + b + `","prices":[{"currency":"EUR","unit_price":500}]}]}`,
			has:  []string{`"name":"A2"`, `"currency":"EUR","unit_price":500`, `"version":2`}})
		send(t, mux, memKey, step{name: "member updates", method: "PATCH", path: "/api/v1/products/bulk", status: 403,
			body: `{"items":[{"id":"` + a + `","name":"Mine"}]}`})
	})
}
