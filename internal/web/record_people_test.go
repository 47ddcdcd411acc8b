package web_test

import (
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/tandemcrm/tandem/internal/store"
	"github.com/tandemcrm/tandem/internal/store/testdb"
)

// TestDomainsAndPastCompaniesUI: other domains edited in place on a
// company's page; a contact's company change shows as a past company on
// the contact and a former person on the company; past companies added and
// removed with htmx and without.
func TestDomainsAndPastCompaniesUI(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		b := signedIn(t, db)
		idOf := func(path, name string) string {
			t.Helper()
			body := b.do("GET", path, nil).Body.String()
			m := regexp.MustCompile(`href="` + path + `/(\d+)"[^>]*>` + regexp.QuoteMeta(name) + `<`).FindStringSubmatch(body)
			if m == nil {
				t.Fatalf("no link to %q on %s", name, path)
			}
			return m[1]
		}
		for _, n := range []string{"Alpha", "Beta", "Crown"} {
			must(t, b.do("POST", "/companies", url.Values{"name": {n}, "domain": {strings.ToLower(n) + ".example"}}), 303, "")
		}
		alpha, beta, crown := idOf("/companies", "Alpha"), idOf("/companies", "Beta"), idOf("/companies", "Crown")

		// Other domains: an inline edit, normalised, shown as chips.
		rec := b.do("POST", "/companies/"+alpha+"/edit", url.Values{"field": {"domains"}, "value": {"https://www.Alpha.de/, alpha.fr"}, "version": {"1"}},
			"HX-Request", "true")
		must(t, rec, 200, rec.Body.String(), `<span class="tag">alpha.de</span>`, `<span class="tag">alpha.fr</span>`)
		rec = b.do("POST", "/companies/"+alpha+"/edit", url.Values{"field": {"domains"}, "value": {"alpha.de, not a domain"}, "version": {"2"}},
			"HX-Request", "true")
		must(t, rec, 422, rec.Body.String(), "Enter a domain like example.com.")
		// The list filters by any domain.
		list := b.do("GET", "/companies?filter="+url.QueryEscape(`domains = "alpha.fr"`), nil)
		must(t, list, 200, list.Body.String(), `>Alpha</a>`)
		if strings.Contains(list.Body.String(), ">Beta</a>") {
			t.Fatal("domains filter matched Beta")
		}
		// A company with one of those domains is a possible duplicate.
		must(t, b.do("POST", "/companies", url.Values{"name": {"Alpha GmbH"}, "domain": {"alpha.de"}}), 303, "")
		page := b.do("GET", "/companies/"+alpha, nil).Body.String()
		must(t, b.do("GET", "/companies/"+alpha, nil), 200, page, "Other domains", "Possible duplicates", "Alpha GmbH — same domain: alpha.de")

		// A person moves from Alpha to Beta.
		must(t, b.do("POST", "/contacts", url.Values{"first_name": {"Hedy"}, "last_name": {"Lamarr"}, "company_id": {alpha}}), 303, "")
		hedy := idOf("/contacts", "Hedy Lamarr")
		page = b.do("GET", "/companies/"+alpha, nil).Body.String()
		must(t, b.do("GET", "/companies/"+alpha, nil), 200, page, "People", "Hedy Lamarr", "No one has left yet.")
		rec = b.do("POST", "/contacts/"+hedy+"/edit", url.Values{"field": {"company"}, "value": {beta}, "version": {"1"}}, "HX-Request", "true")
		must(t, rec, 200, rec.Body.String(), "Beta")
		page = b.do("GET", "/contacts/"+hedy, nil).Body.String()
		must(t, b.do("GET", "/contacts/"+hedy, nil), 200, page, "Past companies", `href="/companies/`+alpha+`">Alpha</a>`, "past company: — → Alpha")
		page = b.do("GET", "/companies/"+alpha, nil).Body.String()
		if i := strings.Index(page, "Former people"); i < 0 || !strings.Contains(page[i:], "Hedy Lamarr") || strings.Contains(page[:i], "Hedy Lamarr") {
			t.Fatalf("Alpha's page: Hedy should be a former person only:\n%.3000s", page)
		}

		// Adding by hand, with htmx: a refusal keeps what was typed.
		base := "/contacts/" + hedy + "/past-companies"
		rec = b.do("POST", base, url.Values{"company_id": {crown}, "title": {"Clerk"}, "started_on": {"1931-01-01"}, "ended_on": {"1930-01-01"}},
			"HX-Request", "true")
		must(t, rec, 422, rec.Body.String(), "The end comes after the start.", `value="Clerk"`)
		rec = b.do("POST", base, url.Values{"company_id": {crown}, "title": {"Clerk"}, "started_on": {"1930-01-01"}, "ended_on": {"1931-01-01"}},
			"HX-Request", "true")
		must(t, rec, 200, rec.Body.String(), `id="past-companies"`, ">Crown</a>", "Clerk", "1930-01-01 – 1931-01-01")
		if strings.Contains(rec.Body.String(), "<html") {
			t.Fatal("htmx got a whole page, not the panel")
		}
		past := regexp.MustCompile(`/past-companies/(\d+)/delete"[^>]*>\s*<button[^>]*aria-label="Remove Crown"`).FindStringSubmatch(rec.Body.String())
		if past == nil {
			t.Fatalf("no remove button for Crown:\n%s", rec.Body.String())
		}
		// Removing without JavaScript: a redirect back to the contact.
		must(t, b.do("POST", base+"/"+past[1]+"/delete", url.Values{}), 303, "")
		page = b.do("GET", "/contacts/"+hedy, nil).Body.String()
		if strings.Contains(page, ">Crown</a>") || !strings.Contains(page, ">Alpha</a>") {
			t.Fatalf("after removing Crown:\n%.3000s", page)
		}
	})
}

// TestCompanyMergeUI: a company page offers to review and merge a company
// that shares a domain; the merge screen shows the fields that differ,
// takes the chosen one, and the survivor gets the other's people while the
// other is gone.
func TestCompanyMergeUI(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		b := signedIn(t, db)
		must(t, b.do("POST", "/companies", url.Values{"name": {"Initech"}, "domain": {"initech.example"}, "industry": {"Software"}}), 303, "")
		must(t, b.do("POST", "/companies", url.Values{"name": {"Initech Corporation"}, "domain": {"initech.example"}, "industry": {"Consulting"}}), 303, "")
		list := b.do("GET", "/companies", nil).Body.String()
		ids := map[string]string{}
		for _, m := range regexp.MustCompile(`href="/companies/(\d+)"[^>]*>([^<]+)<`).FindAllStringSubmatch(list, -1) {
			ids[m[2]] = m[1]
		}
		into, from := ids["Initech"], ids["Initech Corporation"]
		if into == "" || from == "" {
			t.Fatalf("companies listed: %v", ids)
		}
		must(t, b.do("POST", "/contacts", url.Values{"first_name": {"Peter"}, "last_name": {"Gibbons"}, "company_id": {from}}), 303, "")

		page := b.do("GET", "/companies/"+into, nil).Body.String()
		must(t, httptest.NewRecorder(), 200, page, `href="/companies/`+into+`/merge?from=`+from+`"`, "Initech Corporation — same domain: initech.example: review and merge")
		rec := b.do("GET", "/companies/"+into+"/merge?from="+from, nil)
		must(t, rec, 200, rec.Body.String(), `name="take_name"`, `name="take_industry"`, "Consulting", "child companies of Initech Corporation move here")
		if strings.Contains(rec.Body.String(), `name="take_phone"`) {
			t.Fatal("a field with the same value in both is offered")
		}
		must(t, b.do("GET", "/companies/"+into+"/merge?from=12345", nil), 404, "")

		rec = b.do("POST", "/companies/"+into+"/merge", url.Values{"from": {from}, "take_industry": {"1"}, "take_name": {""}})
		must(t, rec, 303, rec.Body.String())
		page = b.do("GET", "/companies/"+into, nil).Body.String()
		must(t, httptest.NewRecorder(), 200, page, "Consulting", "Peter Gibbons", "merged")
		if strings.Contains(page, "Possible duplicates") {
			t.Fatal("the merged company is still offered as a duplicate")
		}
		must(t, b.do("GET", "/companies/"+from, nil), 404, "")
	})
}
