package api_test

import (
	"net/http"
	"net/url"
	"testing"

	"github.com/tandemcrm/tandem/internal/account"
	"github.com/tandemcrm/tandem/internal/crm"
	"github.com/tandemcrm/tandem/internal/store"
	"github.com/tandemcrm/tandem/internal/store/testdb"
	"github.com/tandemcrm/tandem/internal/web/api"
)

func TestCompaniesAPI(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		mux := http.NewServeMux()
		api.New(mux, api.Deps{DB: db})
		p := newWorkspace(t, db, "Co Co", crm.RoleMember)
		_, key := newKey(t, db, p, account.NewAPIKey{Name: "t"})
		_, roKey := newKey(t, db, p, account.NewAPIKey{Name: "ro", Role: crm.RoleReadOnly})

		_, parent := send(t, mux, key, step{name: "create", method: "POST", path: "/api/v1/companies", status: 201,
			body: `{"name":"Umbrella","domain":"https://www.Umbrella.example/corp","size":1200,"tags":["enterprise"]}`,
			has:  []string{`"domain":"umbrella.example"`, `"parent_id":null`, `"size":1200`}})
		pid := parent["id"].(string)
		_, child := send(t, mux, key, step{name: "child", method: "POST", path: "/api/v1/companies", status: 201,
			body: `{"name":"Umbrella Labs","parent_id":"` + pid + `"}`, has: []string{`"parent_id":"` + pid + `"`}})
		send(t, mux, key, step{name: "invalid", method: "POST", path: "/api/v1/companies", status: 422,
			body: `{"name":"","domain":"not a domain","parent_id":"123"}`, has: []string{`"name"`, `"domain"`, `"parent_id"`}})
		send(t, mux, roKey, step{name: "read-only cannot write", method: "POST", path: "/api/v1/companies", status: 403,
			body: `{"name":"Nope"}`})
		send(t, mux, roKey, step{name: "read-only can read", method: "GET", path: "/api/v1/companies?filter=size%20%3E%3D%201000", status: 200,
			has: []string{"Umbrella"}, hasNot: []string{"Labs"}})
		send(t, mux, key, step{name: "sort by name", method: "GET", path: "/api/v1/companies?sort=-name&fields=name", status: 200,
			has: []string{`"name":"Umbrella Labs"},{"id"`}})
		cid := child["id"].(string)
		send(t, mux, key, step{name: "patch", method: "PATCH", path: "/api/v1/companies/" + cid, status: 200,
			header: map[string]string{"If-Match": `W/"1"`}, body: `{"industry":"Biotech","parent_id":"0"}`,
			has: []string{`"industry":"Biotech"`, `"parent_id":null`, `"version":2`}})
		send(t, mux, key, step{name: "bulk", method: "POST", path: "/api/v1/companies/bulk", status: 201,
			body: `{"items":[{"name":"A1"},{"name":"A2","domain":"a2.example"}]}`, has: []string{"A1", "a2.example"}})
		// Several domains: the primary is domains[0]; domain alone replaces it.
		_, multi := send(t, mux, key, step{name: "domains", method: "POST", path: "/api/v1/companies", status: 201,
			body: `{"name":"Multi","domains":["HTTPS://multi.example/","www.multi.de"]}`,
			has:  []string{`"domain":"multi.example"`, `"domains":["multi.example","multi.de"]`}})
		mid := multi["id"].(string)
		send(t, mux, key, step{name: "domain alone", method: "PATCH", path: "/api/v1/companies/" + mid, status: 200,
			body: `{"domain":"multi.fr"}`, has: []string{`"domain":"multi.fr"`, `"domains":["multi.fr","multi.de"]`}})
		send(t, mux, key, step{name: "bad second domain", method: "PATCH", path: "/api/v1/companies/" + mid, status: 422,
			body: `{"domains":["multi.fr","not a domain"]}`, has: []string{`"domains.1"`}})
		send(t, mux, key, step{name: "domain and domains disagree", method: "PATCH", path: "/api/v1/companies/" + mid, status: 422,
			body: `{"domain":"a.example","domains":["b.example"]}`, has: []string{`"domain"`}})
		send(t, mux, key, step{name: "unchanged after refusals", method: "GET", path: "/api/v1/companies/" + mid, status: 200,
			has: []string{`"domains":["multi.fr","multi.de"]`, `"version":2`}})
		send(t, mux, key, step{name: "filter by any domain", method: "GET", path: "/api/v1/companies?filter=" +
			url.QueryEscape(`domains = "multi.de"`) + "&fields=name", status: 200, has: []string{`"name":"Multi"`}, hasNot: []string{"Umbrella"}})
		_, twin := send(t, mux, key, step{name: "twin", method: "POST", path: "/api/v1/companies", status: 201,
			body: `{"name":"Multi Deutschland","domain":"multi.de"}`})
		send(t, mux, key, step{name: "duplicates by a second domain", method: "GET", path: "/api/v1/companies/" + twin["id"].(string) + "/duplicates",
			status: 200, has: []string{`"name":"Multi"`, `"domains":["multi.de"]}`}})
		send(t, mux, key, step{name: "search by a second domain", method: "GET", path: "/api/v1/search?q=multi.de", status: 200,
			has: []string{`"title":"Multi"`}})
		// The twin merged into Multi: its domain is already Multi's; its
		// industry is taken; it is gone after.
		tid := twin["id"].(string)
		send(t, mux, key, step{name: "merge into itself", method: "POST", path: "/api/v1/companies/" + mid + "/merge", status: 422,
			body: `{"from":"` + mid + `"}`, has: []string{`"from"`}})
		send(t, mux, roKey, step{name: "read-only cannot merge", method: "POST", path: "/api/v1/companies/" + mid + "/merge", status: 403,
			body: `{"from":"` + tid + `"}`})
		send(t, mux, key, step{name: "patch twin", method: "PATCH", path: "/api/v1/companies/" + tid, status: 200, body: `{"industry":"Retail","tags":["de"]}`})
		send(t, mux, key, step{name: "merge", method: "POST", path: "/api/v1/companies/" + mid + "/merge", status: 200,
			body: `{"from":"` + tid + `","take":["industry"]}`,
			has:  []string{`"name":"Multi"`, `"industry":"Retail"`, `"domains":["multi.fr","multi.de"]`, `"tags":["de"]`}})
		send(t, mux, key, step{name: "merged away", method: "GET", path: "/api/v1/companies/" + tid, status: 404})
		send(t, mux, key, step{name: "merge again", method: "POST", path: "/api/v1/companies/" + mid + "/merge", status: 422,
			body: `{"from":"` + tid + `"}`, has: []string{"No such company."}})
		send(t, mux, key, step{name: "delete", method: "DELETE", path: "/api/v1/companies/" + cid, status: 204})
		send(t, mux, key, step{name: "deleted", method: "GET", path: "/api/v1/companies/" + cid, status: 404})
	})
}
