package api_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/tandemcrm/tandem/internal/account"
	"github.com/tandemcrm/tandem/internal/crm"
	"github.com/tandemcrm/tandem/internal/records"
	"github.com/tandemcrm/tandem/internal/store"
	"github.com/tandemcrm/tandem/internal/store/testdb"
	"github.com/tandemcrm/tandem/internal/web/api"
)

// step is one request of a scenario and what must come back.
type step struct {
	name, method, path, body string
	header                   map[string]string
	status                   int
	has                      []string // substrings of the response body
	hasNot                   []string
}

func send(t *testing.T, h http.Handler, key string, s step) (*httptest.ResponseRecorder, map[string]any) {
	t.Helper()
	req := httptest.NewRequest(s.method, s.path, strings.NewReader(s.body))
	req.Header.Set("Authorization", "Bearer "+key)
	if s.body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	for k, v := range s.header {
		req.Header.Set(k, v)
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	var m map[string]any
	_ = json.Unmarshal(rec.Body.Bytes(), &m)
	if rec.Code != s.status {
		t.Fatalf("%s: %s %s = %d, want %d\n%s", s.name, s.method, s.path, rec.Code, s.status, rec.Body.String())
	}
	for _, want := range s.has {
		if !strings.Contains(rec.Body.String(), want) {
			t.Fatalf("%s: body lacks %q:\n%s", s.name, want, rec.Body.String())
		}
	}
	for _, bad := range s.hasNot {
		if strings.Contains(rec.Body.String(), bad) {
			t.Fatalf("%s: body has %q:\n%s", s.name, bad, rec.Body.String())
		}
	}
	return rec, m
}

func TestContactsAPI(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		mux := http.NewServeMux()
		api.New(mux, api.Deps{DB: db})
		p := newWorkspace(t, db, "Acme", crm.RoleAdmin)
		_, key := newKey(t, db, p, account.NewAPIKey{Name: "t"})
		other := newWorkspace(t, db, "Other", crm.RoleAdmin)
		_, otherKey := newKey(t, db, other, account.NewAPIKey{Name: "t"})
		label, opts := "Region", []string{"EMEA", "AMER"}
		db.Write(context.Background(), func(tx *store.Tx) error {
			_, err := records.CreateField(tx, p, records.FieldInput{Object: "contact", Label: &label, Type: records.FieldSelect, Options: &opts})
			return err
		})

		_, created := send(t, mux, key, step{name: "create", method: "POST", path: "/api/v1/contacts", status: 201,
			body: `{"first_name":"Ada","last_name":"Lovelace","email":"ADA@example.com","phones":[{"phone":"+44 20 7946 0000","label":"work"}],"tags":["vip"],"custom":{"region":"EMEA"}}`,
			has:  []string{`"email":"ada@example.com"`, `"region":"EMEA"`, `"company_id":null`, `"version":1`}})
		id := created["id"].(string)
		send(t, mux, key, step{name: "invalid create", method: "POST", path: "/api/v1/contacts", status: 422,
			body: `{"first_name":"X","email":"nope","custom":{"region":"Mars"}}`,
			has:  []string{`"emails.0"`, `"custom.region"`, `"code":"invalid"`}})
		send(t, mux, key, step{name: "unknown field", method: "POST", path: "/api/v1/contacts", status: 422,
			body: `{"first_name":"X","favourite_colour":"red"}`, has: []string{"favourite_colour"}})
		for i := 0; i < 5; i++ {
			send(t, mux, key, step{name: "more", method: "POST", path: "/api/v1/contacts", status: 201,
				body: fmt.Sprintf(`{"first_name":"P%d","custom":{"region":"AMER"}}`, i)})
		}
		rec, _ := send(t, mux, key, step{name: "get", method: "GET", path: "/api/v1/contacts/" + id, status: 200, has: []string{"Lovelace"}})
		if rec.Header().Get("ETag") != `"1"` {
			t.Fatalf("ETag = %q", rec.Header().Get("ETag"))
		}
		send(t, mux, key, step{name: "fields", method: "GET", path: "/api/v1/contacts/" + id + "?fields=email", status: 200,
			has: []string{`"id"`, `"email"`}, hasNot: []string{"Lovelace", "phones"}})
		send(t, mux, otherKey, step{name: "other workspace", method: "GET", path: "/api/v1/contacts/" + id, status: 404})
		send(t, mux, key, step{name: "patch", method: "PATCH", path: "/api/v1/contacts/" + id, status: 200,
			header: map[string]string{"If-Match": `"1"`}, body: `{"title":"Countess","custom":{"region":null}}`,
			has: []string{`"title":"Countess"`, `"version":2`}, hasNot: []string{"EMEA"}})
		send(t, mux, key, step{name: "stale If-Match", method: "PATCH", path: "/api/v1/contacts/" + id, status: 412,
			header: map[string]string{"If-Match": `"1"`}, body: `{"title":"Lady"}`, has: []string{"changed by someone else"}})

		// Filter, sort and cursor pages.
		_, page := send(t, mux, key, step{name: "list", method: "GET",
			path: `/api/v1/contacts?filter=custom.region%20%3D%20%22AMER%22&sort=first_name&limit=2`, status: 200,
			has: []string{`"total_estimate":5`, `"P0"`, `"P1"`}, hasNot: []string{"Lovelace"}})
		cur := page["next_cursor"].(string)
		send(t, mux, key, step{name: "page 2", method: "GET",
			path: `/api/v1/contacts?filter=custom.region%20%3D%20%22AMER%22&sort=first_name&limit=2&cursor=` + cur, status: 200,
			has: []string{`"P2"`, `"P3"`}, hasNot: []string{`"P1"`, "total_estimate"}})
		send(t, mux, key, step{name: "bad filter", method: "GET", path: `/api/v1/contacts?filter=ownr%20%3D%20me()`, status: 422,
			has: []string{"did you mean 'owner'", `"filter"`}})
		send(t, mux, key, step{name: "bad limit", method: "GET", path: `/api/v1/contacts?limit=500`, status: 422, has: []string{"limit"}})
		send(t, mux, otherKey, step{name: "other workspace list", method: "GET", path: `/api/v1/contacts`, status: 200,
			has: []string{`"data":[]`}})

		// Bulk: all or nothing.
		send(t, mux, key, step{name: "bulk invalid", method: "POST", path: "/api/v1/contacts/bulk", status: 422,
			body: `{"items":[{"first_name":"Ok"},{"email":"bad"}]}`, has: []string{`items.1.emails.0`}})
		send(t, mux, key, step{name: "bulk", method: "POST", path: "/api/v1/contacts/bulk", status: 201,
			body: `{"items":[{"first_name":"B1"},{"first_name":"B2"}]}`, has: []string{`"B1"`, `"B2"`}})
		send(t, mux, key, step{name: "bulk update", method: "PATCH", path: "/api/v1/contacts/bulk", status: 200,
			body: `{"items":[{"id":"` + id + `","lifecycle":"customer"}]}`, has: []string{`"lifecycle":"customer"`}})
		send(t, mux, key, step{name: "no leak of invalid bulk", method: "GET", path: `/api/v1/contacts?filter=first_name%20%3D%20%22Ok%22`,
			status: 200, has: []string{`"data":[]`}})
		send(t, mux, key, step{name: "delete", method: "DELETE", path: "/api/v1/contacts/" + id, status: 204})
		send(t, mux, key, step{name: "gone", method: "GET", path: "/api/v1/contacts/" + id, status: 404})
	})
}

func TestMergeAPI(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		mux := http.NewServeMux()
		api.New(mux, api.Deps{DB: db})
		p := newWorkspace(t, db, "Merge Co", crm.RoleMember)
		_, key := newKey(t, db, p, account.NewAPIKey{Name: "t"})
		other := newWorkspace(t, db, "Other Merge", crm.RoleMember)
		_, otherKey := newKey(t, db, other, account.NewAPIKey{Name: "t"})
		_, a := send(t, mux, key, step{name: "a", method: "POST", path: "/api/v1/contacts", status: 201,
			body: `{"first_name":"Kay","last_name":"Lee","email":"kay@x.example"}`})
		_, b := send(t, mux, key, step{name: "b", method: "POST", path: "/api/v1/contacts", status: 201,
			body: `{"first_name":"Kay","last_name":"Lee","email":"k.lee@y.example","title":"CFO"}`})
		aid, bid := a["id"].(string), b["id"].(string)
		send(t, mux, key, step{name: "duplicates", method: "GET", path: "/api/v1/contacts/" + aid + "/duplicates", status: 200,
			has: []string{bid, "same name"}})
		send(t, mux, otherKey, step{name: "merge across workspaces", method: "POST", path: "/api/v1/contacts/" + aid + "/merge", status: 404,
			body: `{"from":"` + bid + `"}`})
		send(t, mux, key, step{name: "merge", method: "POST", path: "/api/v1/contacts/" + aid + "/merge", status: 200,
			body: `{"from":"` + bid + `","take":["title"]}`, has: []string{`"title":"CFO"`, "k.lee@y.example", "kay@x.example"}})
		send(t, mux, key, step{name: "merged away", method: "GET", path: "/api/v1/contacts/" + bid, status: 404})
	})
}

func TestSearchAPI(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		mux := http.NewServeMux()
		api.New(mux, api.Deps{DB: db})
		p := newWorkspace(t, db, "Find Co", crm.RoleMember)
		_, key := newKey(t, db, p, account.NewAPIKey{Name: "t"})
		send(t, mux, key, step{name: "contact", method: "POST", path: "/api/v1/contacts", status: 201, body: `{"first_name":"Marie","last_name":"Curie","email":"marie@radium.example"}`})
		send(t, mux, key, step{name: "typo", method: "GET", path: "/api/v1/search?q=Curry", status: 200, has: []string{"Marie Curie", `"url":"/contacts/`}})
		send(t, mux, key, step{name: "email", method: "GET", path: "/api/v1/search?q=radium", status: 200, has: []string{"Marie Curie"}})
		send(t, mux, key, step{name: "empty", method: "GET", path: "/api/v1/search?q=", status: 422})
	})
}
