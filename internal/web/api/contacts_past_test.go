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

func TestPastCompaniesAPI(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		mux := http.NewServeMux()
		api.New(mux, api.Deps{DB: db})
		p := newWorkspace(t, db, "Past", crm.RoleMember)
		_, key := newKey(t, db, p, account.NewAPIKey{Name: "t"})
		other := newWorkspace(t, db, "Other", crm.RoleAdmin)
		_, otherKey := newKey(t, db, other, account.NewAPIKey{Name: "t"})

		_, a := send(t, mux, key, step{name: "company a", method: "POST", path: "/api/v1/companies", status: 201, body: `{"name":"Alpha"}`})
		_, b := send(t, mux, key, step{name: "company b", method: "POST", path: "/api/v1/companies", status: 201, body: `{"name":"Beta"}`})
		aid, bid := a["id"].(string), b["id"].(string)
		_, c := send(t, mux, key, step{name: "contact", method: "POST", path: "/api/v1/contacts", status: 201,
			body: `{"first_name":"Hedy","title":"Inventor","company_id":"` + aid + `"}`, has: []string{`"past_companies":[]`}})
		cid := c["id"].(string)
		base := "/api/v1/contacts/" + cid
		// Changing the company moves the old one to the past, in the response.
		send(t, mux, key, step{name: "move", method: "PATCH", path: base, status: 200,
			body: `{"company_id":"` + bid + `","title":"Actress"}`,
			has:  []string{`"company_id":"` + bid + `"`, `"past_companies":[{"id":`, `"company_id":"` + aid + `","company_name":"Alpha","title":"Inventor","started_on":""`}})
		send(t, mux, key, step{name: "lists leave it out", method: "GET", path: "/api/v1/contacts", status: 200, hasNot: []string{"past_companies"}})
		_, added := send(t, mux, key, step{name: "add", method: "POST", path: base + "/past-companies", status: 201,
			body: `{"company_id":"` + bid + `","title":"Extra","started_on":"1930-01-01","ended_on":"1937-12-31"}`,
			has:  []string{`"company_name":"Beta"`, `"ended_on":"1937-12-31"`}})
		pid := added["id"].(string)
		send(t, mux, key, step{name: "add: invalid", method: "POST", path: base + "/past-companies", status: 422,
			body: `{"title":"x","started_on":"soon"}`, has: []string{`"company_id"`}})
		send(t, mux, key, step{name: "patch: end before start", method: "PATCH", path: base + "/past-companies/" + pid, status: 422,
			body: `{"ended_on":"1920-01-01"}`, has: []string{`"ended_on"`}})
		send(t, mux, key, step{name: "patch", method: "PATCH", path: base + "/past-companies/" + pid, status: 200,
			body: `{"title":"Star"}`, has: []string{`"title":"Star"`, `"started_on":"1930-01-01"`}})
		send(t, mux, key, step{name: "list", method: "GET", path: base + "/past-companies", status: 200,
			has: []string{`"title":"Star"`, `"title":"Inventor"`}})
		send(t, mux, otherKey, step{name: "another workspace", method: "DELETE", path: base + "/past-companies/" + pid, status: 404})
		send(t, mux, otherKey, step{name: "another workspace lists", method: "GET", path: base + "/past-companies", status: 404})
		send(t, mux, key, step{name: "delete", method: "DELETE", path: base + "/past-companies/" + pid, status: 204})
		send(t, mux, key, step{name: "deleted", method: "DELETE", path: base + "/past-companies/" + pid, status: 404})
		send(t, mux, key, step{name: "read", method: "GET", path: base, status: 200,
			has: []string{`"title":"Inventor"`}, hasNot: []string{`"Star"`}})
	})
}
