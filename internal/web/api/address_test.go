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

// noAddress is how a contact or company without an address shows it.
const noAddress = `"address":{"street":"","city":"","state":"","postal_code":"","country":""}`

func filterPath(object, expr string) string {
	return "/api/v1/" + object + "?filter=" + url.QueryEscape(expr)
}

func TestContactAddressTimeZoneLinksAPI(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		mux := http.NewServeMux()
		api.New(mux, api.Deps{DB: db})
		p := newWorkspace(t, db, "Address Co", crm.RoleMember)
		_, key := newKey(t, db, p, account.NewAPIKey{Name: "t"})

		_, ada := send(t, mux, key, step{name: "create", method: "POST", path: "/api/v1/contacts", status: 201,
			body: `{"first_name":"Ada","address":{"street":"Hauptstr. 1\n  Hinterhaus ","city":"Berlin","postal_code":"10115","country":"Germany"},` +
				`"time_zone":"Europe/Berlin","links":[{"url":"linkedin.com/in/ada"},{"label":"Blog","url":"https://ada.example/blog"}]}`,
			has: []string{`"address":{"street":"Hauptstr. 1\nHinterhaus","city":"Berlin","state":"","postal_code":"10115","country":"Germany"}`,
				`"time_zone":"Europe/Berlin"`,
				`"links":[{"label":"LinkedIn","url":"https://linkedin.com/in/ada"},{"label":"Blog","url":"https://ada.example/blog"}]`}})
		id := ada["id"].(string)
		send(t, mux, key, step{name: "create without", method: "POST", path: "/api/v1/contacts", status: 201,
			body: `{"first_name":"Bob"}`, has: []string{noAddress, `"time_zone":""`, `"links":[]`}})

		send(t, mux, key, step{name: "one part changes", method: "PATCH", path: "/api/v1/contacts/" + id, status: 200,
			body: `{"address":{"state":"Berlin","postal_code":null}}`,
			has: []string{`"address":{"street":"Hauptstr. 1\nHinterhaus","city":"Berlin","state":"Berlin","postal_code":"","country":"Germany"}`,
				`"time_zone":"Europe/Berlin"`, `"label":"LinkedIn"`, `"version":2`}})
		send(t, mux, key, step{name: "empty address patch changes nothing", method: "PATCH", path: "/api/v1/contacts/" + id, status: 200,
			body: `{"address":{},"title":"Countess"}`, has: []string{`"city":"Berlin"`, `"state":"Berlin"`, `"country":"Germany"`}})

		// Refusals: each names the field as it is in the body; nothing is stored.
		rec, bad := send(t, mux, key, step{name: "bad time zone", method: "PATCH", path: "/api/v1/contacts/" + id, status: 422,
			body: `{"time_zone":"Mars/Olympus_Mons"}`})
		if ct := rec.Header().Get("Content-Type"); ct != "application/problem+json" || bad["code"] != "invalid" ||
			fieldError(bad, "time_zone") == "" {
			t.Fatalf("bad time zone: %s %s", ct, rec.Body.String())
		}
		_, bad = send(t, mux, key, step{name: "javascript link", method: "PATCH", path: "/api/v1/contacts/" + id, status: 422,
			body: `{"links":[{"url":"https://ok.example"},{"url":"javascript:alert(1)"}]}`})
		if fieldError(bad, "links.1") == "" || fieldError(bad, "links.0") != "" {
			t.Fatalf("javascript link: %v", bad)
		}
		send(t, mux, key, step{name: "javascript link on create", method: "POST", path: "/api/v1/contacts", status: 422,
			body: `{"first_name":"Eve","links":[{"url":"javascript://x.example/%0aalert(1)"}]}`, has: []string{`"links.0"`}})
		send(t, mux, key, step{name: "street of five lines", method: "PATCH", path: "/api/v1/contacts/" + id, status: 422,
			body: `{"address":{"street":"1\n2\n3\n4\n5"}}`, has: []string{`"address.street"`}})
		send(t, mux, key, step{name: "city too long", method: "PATCH", path: "/api/v1/contacts/" + id, status: 422,
			body: `{"address":{"city":"` + strings.Repeat("x", 101) + `"}}`, has: []string{`"address.city"`}})
		send(t, mux, key, step{name: "unknown address part", method: "PATCH", path: "/api/v1/contacts/" + id, status: 422,
			body: `{"address":{"zip":"10115"}}`, has: []string{"zip"}})
		send(t, mux, key, step{name: "eleven links", method: "PATCH", path: "/api/v1/contacts/" + id, status: 422,
			body: `{"links":[` + strings.TrimSuffix(strings.Repeat(`{"url":"a.example"},`, 11), ",") + `]}`, has: []string{`"links"`}})
		send(t, mux, key, step{name: "unchanged after refusals", method: "GET", path: "/api/v1/contacts/" + id, status: 200,
			has:    []string{`"version":3`, `"time_zone":"Europe/Berlin"`, `"street":"Hauptstr. 1\nHinterhaus"`, `"url":"https://ada.example/blog"`},
			hasNot: []string{"ok.example"}})

		send(t, mux, key, step{name: "fields", method: "GET", path: "/api/v1/contacts/" + id + "?fields=address,time_zone,links", status: 200,
			has: []string{`"id"`, `"city":"Berlin"`, `"time_zone"`, `"links"`}, hasNot: []string{"Ada", "first_name"}})
		// One key of an object field, by the filter language's name.
		send(t, mux, key, step{name: "fields: one part of the address", method: "GET", path: "/api/v1/contacts/" + id + "?fields=address.city,first_name,custom.none",
			has: []string{`"id"`, `"address":{"city":"Berlin"}`, `"first_name":"Ada"`, `"custom":{}`}, status: 200,
			hasNot: []string{"Hauptstr", `"country"`, `"time_zone"`, `"links"`}})
		send(t, mux, key, step{name: "fields: a key of what is no object", method: "GET", path: "/api/v1/contacts/" + id + "?fields=first_name.x,time_zone",
			has: []string{`"id"`, `"time_zone"`}, hasNot: []string{"first_name"}, status: 200})
		send(t, mux, key, step{name: "filter by city", method: "GET", path: filterPath("contacts", `city = "Berlin"`), status: 200,
			has: []string{`"first_name":"Ada"`}, hasNot: []string{"Bob"}})
		send(t, mux, key, step{name: "filter by time zone", method: "GET", path: filterPath("contacts", `time_zone = "Europe/Berlin"`), status: 200,
			has: []string{`"first_name":"Ada"`}, hasNot: []string{"Bob"}})

		// Bulk carries the new fields, and names errors by item and body path.
		send(t, mux, key, step{name: "bulk create", method: "POST", path: "/api/v1/contacts/bulk", status: 201,
			body: `{"items":[{"first_name":"C1","address":{"city":"Paris"},"time_zone":"Europe/Paris","links":[{"url":"github.com/c1"}]}]}`,
			has:  []string{`"city":"Paris"`, `"time_zone":"Europe/Paris"`, `"label":"GitHub"`}})
		send(t, mux, key, step{name: "bulk invalid", method: "PATCH", path: "/api/v1/contacts/bulk", status: 422,
			body: `{"items":[{"id":"` + id + `","time_zone":"Nowhere"},{"id":"` + id + `","address":{"street":"1\n2\n3\n4\n5"}}]}`,
			has:  []string{`"items.0.time_zone"`, `"items.1.address.street"`}})

		// Clearing: null clears the whole address, [] the links, "" the zone.
		send(t, mux, key, step{name: "clear", method: "PATCH", path: "/api/v1/contacts/" + id, status: 200,
			body: `{"address":null,"links":[],"time_zone":""}`, has: []string{noAddress, `"links":[]`, `"time_zone":""`}})
		send(t, mux, key, step{name: "cleared for filters", method: "GET", path: filterPath("contacts", `city = "Berlin"`), status: 200,
			has: []string{`"data":[]`}})
	})
}

func TestMergeAddressAPI(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		mux := http.NewServeMux()
		api.New(mux, api.Deps{DB: db})
		p := newWorkspace(t, db, "Merge Address Co", crm.RoleMember)
		_, key := newKey(t, db, p, account.NewAPIKey{Name: "t"})
		create := func(name, body string) string {
			_, c := send(t, mux, key, step{name: name, method: "POST", path: "/api/v1/contacts", status: 201, body: body})
			return c["id"].(string)
		}
		a := create("a", `{"first_name":"Kay","address":{"city":"Oslo"},"time_zone":"Europe/Oslo","links":[{"url":"kay.example"}]}`)
		b := create("b", `{"first_name":"Kay","address":{"street":"Karl Johans gate 1","city":"Bergen","country":"Norway"},`+
			`"time_zone":"America/New_York","links":[{"url":"github.com/kay"},{"url":"https://KAY.example"}]}`)
		c := create("c", `{"first_name":"Kay","address":{"street":"Somewhere 2","city":"Tromsø"},"time_zone":"Europe/Oslo"}`)
		// Without take, the survivor's address stays whole: no street of the
		// other's is added to its city.
		send(t, mux, key, step{name: "merge keeping", method: "POST", path: "/api/v1/contacts/" + a + "/merge", status: 200,
			body: `{"from":"` + c + `"}`, has: []string{`"address":{"street":"","city":"Oslo","state":"","postal_code":"","country":""}`}})
		send(t, mux, key, step{name: "merge taking", method: "POST", path: "/api/v1/contacts/" + a + "/merge", status: 200,
			body: `{"from":"` + b + `","take":["address","time_zone"]}`,
			has: []string{`"address":{"street":"Karl Johans gate 1","city":"Bergen","state":"","postal_code":"","country":"Norway"}`,
				`"time_zone":"America/New_York"`,
				`"links":[{"label":"Website","url":"https://kay.example"},{"label":"GitHub","url":"https://github.com/kay"}]`}})
	})
}

func TestCompanyAddressAPI(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		mux := http.NewServeMux()
		api.New(mux, api.Deps{DB: db})
		p := newWorkspace(t, db, "Company Address Co", crm.RoleMember)
		_, key := newKey(t, db, p, account.NewAPIKey{Name: "t"})

		_, acme := send(t, mux, key, step{name: "create", method: "POST", path: "/api/v1/companies", status: 201,
			body: `{"name":"Acme","address":{"street":"1 Main St","city":"Springfield","state":"IL","postal_code":"62701","country":"USA"}}`,
			has:  []string{`"address":{"street":"1 Main St","city":"Springfield","state":"IL","postal_code":"62701","country":"USA"}`}})
		id := acme["id"].(string)
		_, other := send(t, mux, key, step{name: "create without", method: "POST", path: "/api/v1/companies", status: 201,
			body: `{"name":"Other"}`, has: []string{noAddress}})
		send(t, mux, key, step{name: "one part changes", method: "PATCH", path: "/api/v1/companies/" + id, status: 200,
			body: `{"address":{"city":"Chicago","postal_code":"60601"}}`,
			has:  []string{`"address":{"street":"1 Main St","city":"Chicago","state":"IL","postal_code":"60601","country":"USA"}`}})
		send(t, mux, key, step{name: "street of five lines", method: "PATCH", path: "/api/v1/companies/" + id, status: 422,
			body: `{"address":{"street":"1\n2\n3\n4\n5"}}`, has: []string{`"address.street"`}})
		send(t, mux, key, step{name: "state too long", method: "PATCH", path: "/api/v1/companies/" + id, status: 422,
			body: `{"address":{"state":"` + strings.Repeat("x", 101) + `"}}`, has: []string{`"address.state"`}})
		send(t, mux, key, step{name: "filter by city", method: "GET", path: filterPath("companies", `city = "Chicago"`), status: 200,
			has: []string{`"name":"Acme"`}, hasNot: []string{"Other"}})
		send(t, mux, key, step{name: "person at it", method: "POST", path: "/api/v1/contacts", status: 201,
			body: `{"first_name":"Wile","company_id":"` + id + `"}`})
		send(t, mux, key, step{name: "contacts by company city", method: "GET", path: filterPath("contacts", `company.city = "Chicago"`), status: 200,
			has: []string{`"first_name":"Wile"`}})
		send(t, mux, key, step{name: "bulk", method: "POST", path: "/api/v1/companies/bulk", status: 201,
			body: `{"items":[{"name":"B1","address":{"country":"France"}}]}`, has: []string{`"country":"France"`}})

		oid := other["id"].(string)
		send(t, mux, key, step{name: "other gets an address", method: "PATCH", path: "/api/v1/companies/" + oid, status: 200,
			body: `{"address":{"city":"Gotham"}}`})
		send(t, mux, key, step{name: "merge taking", method: "POST", path: "/api/v1/companies/" + id + "/merge", status: 200,
			body: `{"from":"` + oid + `","take":["address"]}`, has: []string{`"address":{"street":"","city":"Gotham","state":"","postal_code":"","country":""}`}})
		send(t, mux, key, step{name: "clear", method: "PATCH", path: "/api/v1/companies/" + id, status: 200,
			body: `{"address":null}`, has: []string{noAddress}})
	})
}

// fieldError is the problem's message for field, "" when none.
func fieldError(problem map[string]any, field string) string {
	errs, _ := problem["errors"].(map[string]any)
	s, _ := errs[field].(string)
	return s
}
