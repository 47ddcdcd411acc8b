package api_test

import (
	"net/http"
	"net/url"
	"strings"
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
			body: `{"object":"task","name":"Mine"}`})
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

func TestDealViewsAPI(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		mux := http.NewServeMux()
		api.New(mux, api.Deps{DB: db})
		p := newWorkspace(t, db, "Acme", crm.RoleAdmin)
		_, key := newKey(t, db, p, account.NewAPIKey{Name: "t"})
		other := newWorkspace(t, db, "Other", crm.RoleAdmin)
		_, otherKey := newKey(t, db, other, account.NewAPIKey{Name: "t"})

		for _, d := range []string{`{"title":"Small","value":"100"}`, `{"title":"Big","value":"9000"}`, `{"title":"Bigger","value":"12000"}`} {
			send(t, mux, key, step{name: "deal", method: "POST", path: "/api/v1/deals", status: 201, body: d})
		}
		send(t, mux, key, step{name: "bad deal filter", method: "POST", path: "/api/v1/views", status: 422,
			body: `{"object":"deal","name":"Big","filter":"vaule >= 5000"}`, has: []string{"did you mean 'value'", `"filter"`}})
		_, v := send(t, mux, key, step{name: "create deal view", method: "POST", path: "/api/v1/views", status: 201,
			body: `{"object":"deal","name":"Big deals","filter":"value >= 5000","sort":"value","shared":true}`,
			has:  []string{`"object":"deal"`, `"filter":"value >= 5000"`}})
		id := v["id"].(string)
		_, cv := send(t, mux, key, step{name: "contact view", method: "POST", path: "/api/v1/views", status: 201,
			body: `{"object":"contact","name":"Leads","filter":"lifecycle = \"lead\""}`})
		send(t, mux, key, step{name: "deal views", method: "GET", path: "/api/v1/views?object=deal", status: 200,
			has: []string{"Big deals"}, hasNot: []string{"Leads"}})

		rec, _ := send(t, mux, key, step{name: "deals by view", method: "GET", path: "/api/v1/deals?view=" + id, status: 200,
			has: []string{`"title":"Big"`, `"title":"Bigger"`, `"total_estimate":2`}, hasNot: []string{"Small"}})
		if body := rec.Body.String(); strings.Index(body, `"title":"Big"`) > strings.Index(body, `"title":"Bigger"`) {
			t.Fatalf("the view's sort (value ascending) is not applied: %s", body)
		}
		send(t, mux, key, step{name: "filter wins over the view's", method: "GET",
			path: "/api/v1/deals?view=" + id + "&filter=" + url.QueryEscape(`value < 5000`), status: 200,
			has: []string{"Small"}, hasNot: []string{`"title":"Big"`}})
		send(t, mux, key, step{name: "a contact view", method: "GET", path: "/api/v1/deals?view=" + cv["id"].(string), status: 422,
			has: []string{`"view"`}})
		send(t, mux, otherKey, step{name: "another workspace's view", method: "GET", path: "/api/v1/deals?view=" + id, status: 404})
		send(t, mux, key, step{name: "no such view", method: "GET", path: "/api/v1/deals?view=nope", status: 404})
	})
}
