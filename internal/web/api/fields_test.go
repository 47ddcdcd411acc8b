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

func TestFieldsAPI(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		mux := http.NewServeMux()
		api.New(mux, api.Deps{DB: db})
		admin := newWorkspace(t, db, "Fields Co", crm.RoleAdmin)
		_, key := newKey(t, db, admin, account.NewAPIKey{Name: "admin"})
		_, memberKey := newKey(t, db, admin, account.NewAPIKey{Name: "member", Role: crm.RoleMember})

		_, f := send(t, mux, key, step{name: "create", method: "POST", path: "/api/v1/fields", status: 201,
			body: `{"object":"contact","key":"region","label":"Region","type":"select","options":["EMEA","AMER","EMEA"," "]}`,
			has:  []string{`"key":"region"`, `"options":["EMEA","AMER"]`}})
		send(t, mux, key, step{name: "label to key", method: "POST", path: "/api/v1/fields", status: 201,
			body: `{"object":"company","label":"Annual revenue (USD)","type":"currency"}`, has: []string{`"key":"annual_revenue_usd"`}})
		send(t, mux, key, step{name: "duplicate key", method: "POST", path: "/api/v1/fields", status: 422,
			body: `{"object":"contact","key":"region","label":"Again","type":"text"}`, has: []string{"already exists"}})
		send(t, mux, key, step{name: "built-in key", method: "POST", path: "/api/v1/fields", status: 422,
			body: `{"object":"contact","key":"email","label":"Email","type":"text"}`, has: []string{"built-in"}})
		send(t, mux, key, step{name: "select without options", method: "POST", path: "/api/v1/fields", status: 422,
			body: `{"object":"contact","label":"Tier","type":"select"}`, has: []string{`"options"`}})
		send(t, mux, key, step{name: "bad type", method: "POST", path: "/api/v1/fields", status: 422,
			body: `{"object":"contact","label":"X","type":"colour"}`, has: []string{"type"}})
		send(t, mux, memberKey, step{name: "member cannot", method: "POST", path: "/api/v1/fields", status: 403,
			body: `{"object":"contact","label":"X","type":"text"}`})
		id := f["id"].(string)
		send(t, mux, key, step{name: "rename", method: "PATCH", path: "/api/v1/fields/" + id, status: 200,
			body: `{"label":"Sales region","options":["EMEA","AMER","APAC"]}`, has: []string{`"label":"Sales region"`, "APAC"}})
		send(t, mux, key, step{name: "filter by it", method: "GET", path: `/api/v1/contacts?filter=custom.region%20%3D%20%22APAC%22`, status: 200})
		send(t, mux, key, step{name: "retire", method: "PATCH", path: "/api/v1/fields/" + id, status: 200,
			body: `{"retired":true}`, has: []string{`"retired":true`}})
		send(t, mux, key, step{name: "list hides retired", method: "GET", path: "/api/v1/fields?object=contact", status: 200,
			hasNot: []string{"region"}})
		send(t, mux, key, step{name: "list with retired", method: "GET", path: "/api/v1/fields?object=contact&retired=true", status: 200,
			has: []string{"region"}})
		send(t, mux, key, step{name: "retired values refused", method: "POST", path: "/api/v1/contacts", status: 422,
			body: `{"first_name":"A","custom":{"region":"EMEA"}}`, has: []string{"custom.region"}})
	})
}
