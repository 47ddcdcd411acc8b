package web_test

import (
	"context"
	"html"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/tandemcrm/tandem/internal/account"
	"github.com/tandemcrm/tandem/internal/store"
	"github.com/tandemcrm/tandem/internal/store/testdb"
	"github.com/tandemcrm/tandem/internal/web"
)

// signedIn sets up a workspace through the first-run form and returns a
// browser holding its owner's session.
func signedIn(t *testing.T, db *store.DB) *browser {
	t.Helper()
	b := &browser{t: t, h: web.NewServer(web.Deps{DB: db, Jobs: fakeJobs{}}), cookies: map[string]*http.Cookie{}}
	var token string
	db.Write(context.Background(), func(tx *store.Tx) (err error) { token, err = account.NewSetupToken(tx); return err })
	rec := b.do("POST", "/setup", url.Values{"token": {token}, "workspace": {"Acme"}, "name": {"Ann"},
		"email": {"ann@acme.test"}, "password": {"a long enough phrase"}})
	if rec.Code != 303 {
		t.Fatalf("setup: %d", rec.Code)
	}
	return b
}

func must(t *testing.T, rec interface {
	Result() *http.Response
}, code int, body string, has ...string) {
	t.Helper()
	if got := rec.Result().StatusCode; got != code {
		t.Fatalf("status %d, want %d\n%.600s", got, code, body)
	}
	for _, h := range has {
		if !strings.Contains(body, h) {
			t.Fatalf("body lacks %q:\n%.2000s", h, body)
		}
	}
}

func TestListViewsUI(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		b := signedIn(t, db)
		// A custom field through settings; members would see it read-only.
		rec := b.do("POST", "/settings/fields", url.Values{"object": {"contact"}, "label": {"Region"}, "type": {"select"}, "options": {"EMEA, AMER"}})
		must(t, rec, 303, rec.Body.String())
		rec = b.do("GET", "/settings/fields", nil)
		must(t, rec, 200, rec.Body.String(), `data-field-key="region"`, "EMEA, AMER")
		for _, n := range []string{"Ada", "Grace", "Linus"} {
			must(t, b.do("POST", "/contacts", url.Values{"first_name": {n}}), 303, "")
		}
		ids := regexp.MustCompile(`id="contact-(\d+)"`).FindAllStringSubmatch(b.do("GET", "/contacts", nil).Body.String(), -1)
		if len(ids) != 3 {
			t.Fatalf("rows: %v", ids)
		}
		// Inline edit with the version; a stale version is a clear conflict.
		rec = b.do("POST", "/contacts/"+ids[0][1]+"/edit", url.Values{"field": {"custom.region"}, "value": {"EMEA"}, "version": {"1"}}, "HX-Request", "true")
		must(t, rec, 200, rec.Body.String(), "EMEA", `data-fact="custom.region"`)
		rec = b.do("POST", "/contacts/"+ids[0][1]+"/edit", url.Values{"field": {"title"}, "value": {"CTO"}, "version": {"1"}}, "HX-Request", "true")
		must(t, rec, 422, rec.Body.String(), "Someone else changed this contact", `name="version" value="2"`)
		rec = b.do("POST", "/contacts/"+ids[0][1]+"/edit", url.Values{"field": {"custom.region"}, "value": {"Mars"}, "version": {"2"}}, "HX-Request", "true")
		must(t, rec, 422, rec.Body.String(), "Choose one of: EMEA, AMER")
		rec = b.do("GET", "/contacts/"+ids[0][1], nil)
		must(t, rec, 200, rec.Body.String(), "Timeline", "Region")

		// Filter, errors with the position message, sort links, totals.
		rec = b.do("GET", "/contacts?filter="+url.QueryEscape(`custom.region = "EMEA"`), nil)
		must(t, rec, 200, rec.Body.String(), `data-total>1 contact<`, `data-b-field`)
		rec = b.do("GET", "/contacts?filter="+url.QueryEscape(`ownr = me()`), nil, "HX-Request", "true", "HX-Target", "list")
		must(t, rec, 422, rec.Body.String(), "unknown field &#39;ownr&#39; at 1:1 — did you mean &#39;owner&#39;?")
		if strings.Contains(rec.Body.String(), "<html") {
			t.Fatal("htmx list request got a whole page")
		}
		rec = b.do("GET", "/contacts?sort=first_name&columns=email,custom.region", nil)
		must(t, rec, 200, rec.Body.String(), `aria-sort="ascending"`, "sort=-first_name", ">Region<")

		// Save a view, use it, delete it; another's id is a 404.
		rec = b.do("POST", "/views", url.Values{"object": {"contact"}, "name": {"EMEA"}, "filter": {`custom.region = "EMEA"`}, "return": {"/contacts"}})
		must(t, rec, 303, rec.Body.String())
		loc := rec.Header().Get("Location")
		rec = b.do("GET", loc, nil)
		must(t, rec, 200, rec.Body.String(), `class="on" data-view-id`, `data-total>1 contact<`)
		must(t, b.do("POST", "/views/12345/delete", url.Values{}), 404, "")

		// Bulk: a confirmation with the count, then one transaction.
		form := url.Values{"id": {ids[1][1], ids[2][1]}, "action": {"edit"}, "field": {"lifecycle"}, "value.lifecycle": {"customer"}, "return": {"/contacts"}}
		rec = b.do("POST", "/contacts/bulk", form)
		must(t, rec, 200, rec.Body.String(), "Set lifecycle to “customer” on 2 contacts?")
		form.Set("confirm", "1")
		must(t, b.do("POST", "/contacts/bulk", form), 303, "")
		rec = b.do("GET", "/contacts?filter="+url.QueryEscape(`lifecycle = "customer"`), nil)
		must(t, rec, 200, rec.Body.String(), "Changed 2 contacts.", `data-total>2 contacts<`)

		// Where they are: a country and a time zone at once (a zone by its
		// city, as the record page takes it).
		must(t, rec, 200, rec.Body.String(), `<option value="country">Country</option>`, `<option value="time_zone">Time zone</option>`)
		for field, value := range map[string]string{"country": "Germany", "time_zone": "berlin"} {
			form = url.Values{"id": {ids[1][1], ids[2][1]}, "action": {"edit"}, "field": {field}, "value." + field: {value},
				"return": {"/contacts"}, "confirm": {"1"}}
			must(t, b.do("POST", "/contacts/bulk", form), 303, "")
		}
		rec = b.do("GET", "/contacts?filter="+url.QueryEscape(`country = "Germany" and time_zone = "Europe/Berlin"`), nil)
		must(t, rec, 200, rec.Body.String(), `data-total>2 contacts<`)
		form = url.Values{"id": {ids[1][1]}, "action": {"edit"}, "field": {"time_zone"}, "value.time_zone": {"Mars/Base"},
			"return": {"/contacts"}, "confirm": {"1"}}
		rec = b.do("POST", "/contacts/bulk", form)
		if rec.Code == 303 {
			rec = b.do("GET", rec.Header().Get("Location"), nil)
		}
		must(t, rec, 200, rec.Body.String(), "Choose a time zone such as Europe/Berlin")
		rec = b.do("GET", "/contacts?filter="+url.QueryEscape(`time_zone = "Europe/Berlin"`), nil)
		must(t, rec, 200, rec.Body.String(), `data-total>2 contacts<`)
	})
}

// TestFilterExamplesWork: each list's filter box suggests an expression
// that its own list accepts.
func TestFilterExamplesWork(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		b := signedIn(t, db)
		for _, path := range []string{"/contacts", "/companies"} {
			rec := b.do("GET", path, nil)
			m := regexp.MustCompile(`placeholder="Filter, e\.g\. ([^"]+)"`).FindStringSubmatch(rec.Body.String())
			if m == nil {
				t.Fatalf("%s: no filter example", path)
			}
			example := html.UnescapeString(m[1])
			rec = b.do("GET", path+"?filter="+url.QueryEscape(example), nil)
			must(t, rec, 200, rec.Body.String())
			if strings.Contains(rec.Body.String(), `id="filter-error"`) {
				t.Errorf("%s refuses its own example %q", path, example)
			}
		}
	})
}
