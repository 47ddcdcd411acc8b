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

func TestViewsAPI(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		mux := http.NewServeMux()
		api.New(mux, api.Deps{DB: db})
		p := newWorkspace(t, db, "Acme", crm.RoleAdmin)
		_, key := newKey(t, db, p, account.NewAPIKey{Name: "t"})
		other := newWorkspace(t, db, "Other", crm.RoleAdmin)
		_, otherKey := newKey(t, db, other, account.NewAPIKey{Name: "t"})

		send(t, mux, key, step{name: "bad filter", method: "POST", path: "/api/v1/views", status: 422,
			body: `{"object":"contact","name":"Mine","filter":"ownr = me()"}`, has: []string{"did you mean 'owner'", `"filter"`}})
		send(t, mux, key, step{name: "bad object", method: "POST", path: "/api/v1/views", status: 422,
			body: `{"object":"deal","name":"Mine"}`})
		send(t, mux, key, step{name: "bad column", method: "POST", path: "/api/v1/views", status: 422,
			body: `{"object":"company","name":"Big","columns":["lifecycle"]}`, has: []string{`"columns"`}})
		_, v := send(t, mux, key, step{name: "create", method: "POST", path: "/api/v1/views", status: 201,
			body: `{"object":"contact","name":"My leads","filter":"LIFECYCLE = \"lead\" AND owner = me()","sort":"-created_at","columns":["email"]}`,
			has:  []string{`"filter":"lifecycle = \"lead\" and owner = me()"`, `"shared":false`, `"columns":["email"]`}})
		id := v["id"].(string)
		send(t, mux, key, step{name: "list", method: "GET", path: "/api/v1/views?object=contact", status: 200, has: []string{"My leads"}})
		send(t, mux, key, step{name: "list companies", method: "GET", path: "/api/v1/views?object=company", status: 200,
			has: []string{`"data":[]`}})
		send(t, mux, key, step{name: "get", method: "GET", path: "/api/v1/views/" + id, status: 200, has: []string{"My leads"}})
		send(t, mux, otherKey, step{name: "other workspace", method: "GET", path: "/api/v1/views/" + id, status: 404,
			has: []string{`"code":"not_found"`}})
		send(t, mux, otherKey, step{name: "other workspace patch", method: "PATCH", path: "/api/v1/views/" + id, status: 404,
			body: `{"name":"Stolen"}`})
		send(t, mux, key, step{name: "patch", method: "PATCH", path: "/api/v1/views/" + id, status: 200,
			body: `{"name":"Team leads","shared":true}`, has: []string{`"shared":true`, "Team leads"}})
		send(t, mux, key, step{name: "bad sort", method: "PATCH", path: "/api/v1/views/" + id, status: 422,
			body: `{"sort":"size"}`, has: []string{`"sort"`}})
		send(t, mux, otherKey, step{name: "other workspace delete", method: "DELETE", path: "/api/v1/views/" + id, status: 404})
		send(t, mux, key, step{name: "delete", method: "DELETE", path: "/api/v1/views/" + id, status: 204})
		send(t, mux, key, step{name: "gone", method: "GET", path: "/api/v1/views/" + id, status: 404})
	})
}
