package load

import (
	"context"
	"fmt"
	"math/rand/v2"
	"net/url"
	"regexp"
	"sort"
	"strings"
)

// Workloads is every named workload the harness knows, by name. Each has a
// version: bump it whenever a change makes old figures incomparable. More
// join as capabilities land (list-contacts-filtered, search-global,
// board-pipeline, …: see bench/README.md).
func Workloads() map[string]Workload {
	ws := []Workload{
		getWorkload{name: "healthz", version: 1, path: "/healthz"},
		getWorkload{name: "api-me", version: 1, path: "/api/v1/me"},
		getWorkload{name: "list-companies-page", version: 1, path: "/companies"},
		getWorkload{name: "list-contacts-page", version: 1, path: "/contacts"},
		&recordPage{},
		createCompany{},
		searchGlobal{},
		getWorkload{name: "my-day", version: 1, path: "/my-day"},
	}
	m := map[string]Workload{}
	for _, w := range ws {
		m[w.Name()] = w
	}
	return m
}

// Names lists the workloads in a stable order.
func Names() []string {
	var out []string
	for n := range Workloads() {
		out = append(out, n)
	}
	sort.Strings(out)
	return out
}

// getWorkload requests one fixed path.
type getWorkload struct {
	name    string
	version int
	path    string
}

func (g getWorkload) Name() string { return g.name }
func (g getWorkload) Version() int { return g.version }
func (g getWorkload) Step(ctx context.Context, c *Client, _ *rand.Rand) error {
	return c.Do(ctx, "GET", g.path, nil, "")
}

// recordPage opens company record pages (fields + timeline) at random from
// the first pages of the list.
type recordPage struct{ ids []string }

var companyLink = regexp.MustCompile(`/companies/(\d+)"`)

func (*recordPage) Name() string { return "record-page" }
func (*recordPage) Version() int { return 1 }

func (p *recordPage) Prepare(ctx context.Context, c *Client) error {
	path := "/companies"
	for len(p.ids) < 500 {
		body, err := c.Get(ctx, path)
		if err != nil {
			return err
		}
		for _, m := range companyLink.FindAllStringSubmatch(body, -1) {
			p.ids = append(p.ids, m[1])
		}
		next := regexp.MustCompile(`href="(/companies\?after=\d+)"`).FindStringSubmatch(body)
		if next == nil {
			break
		}
		path = next[1]
	}
	if len(p.ids) == 0 {
		return fmt.Errorf("no companies to open")
	}
	return nil
}

func (p *recordPage) Step(ctx context.Context, c *Client, rng *rand.Rand) error {
	return c.Do(ctx, "GET", "/companies/"+p.ids[rng.IntN(len(p.ids))], nil, "")
}

// createCompany posts the quick-add form, as a person adding a company does.
type createCompany struct{}

func (createCompany) Name() string { return "create-company" }
func (createCompany) Version() int { return 1 }
func (createCompany) Step(ctx context.Context, c *Client, rng *rand.Rand) error {
	form := url.Values{"name": {fmt.Sprintf("Bench Co %d", rng.Uint64())}, "domain": {fmt.Sprintf("b%d.example", rng.Uint32())}}
	return c.Do(ctx, "POST", "/companies", strings.NewReader(form.Encode()), "application/x-www-form-urlencoded")
}

// searchGlobal asks the search API what a salesperson types: name
// prefixes, whole names, typos, email fragments, phone digits — drawn from
// the seed generator's word lists, so they find something at every size.
type searchGlobal struct{}

var searchQueries = []string{"jen", "michael", "smith", "Jonh", "Willams", "mül", "Schmidt", "lefevre", "Garcia Ana",
	"grace", "O'Brien", "king", "Hoffman", "martin", "Thompsen", "ava", "555", "gmbh", "sarah j", "dubois"}

func (searchGlobal) Name() string { return "search-global" }
func (searchGlobal) Version() int { return 1 }
func (searchGlobal) Step(ctx context.Context, c *Client, rng *rand.Rand) error {
	return c.Do(ctx, "GET", "/api/v1/search?q="+url.QueryEscape(searchQueries[rng.IntN(len(searchQueries))]), nil, "")
}
