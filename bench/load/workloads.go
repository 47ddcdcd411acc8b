package load

import (
	"context"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"net/url"
	"regexp"
	"slices"
	"sort"
	"strings"
	"time"
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
		listContactsFiltered{},
		createContact{},
		newMixSalesTeam(),
		&updateDealStage{},
		getWorkload{name: "board-pipeline", version: 1, path: "/pipeline"},

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

// SearchQueries are search-global's queries (bench/cmd/listprobe -search
// times them in-process).
func SearchQueries() []string { return slices.Clone(searchQueries) }

func (searchGlobal) Name() string { return "search-global" }
func (searchGlobal) Version() int { return 1 }
func (searchGlobal) Step(ctx context.Context, c *Client, rng *rand.Rand) error {
	return c.Do(ctx, "GET", "/api/v1/search?q="+url.QueryEscape(searchQueries[rng.IntN(len(searchQueries))]), nil, "")
}

// listContactsFiltered is a list page through the API: 50 contacts, a
// filter on two fields and a sort, as a saved view asks for them. The
// filters are drawn from the generator's value lists, so each matches rows
// at every size.
type listContactsFiltered struct{}

var contactFilters = []struct{ filter, sort string }{
	{`lifecycle in ("lead","qualified") and created_at > -365d`, "-created_at"},
	{`lifecycle = "customer" and source = "Referral"`, "last_name,first_name"},
	{`last_name ~ "son" and lifecycle != "lead"`, "-updated_at"},
	{`owner = me() and lifecycle = "opportunity"`, "-created_at"},
	{`email ~ "gmail" and created_at > -90d`, "last_name"},
}

// ContactFilters are the filter and sort pairs of list-contacts-filtered
// (bench/cmd/listprobe times them in-process).
func ContactFilters() [][2]string {
	out := make([][2]string, len(contactFilters))
	for i, f := range contactFilters {
		out[i] = [2]string{f.filter, f.sort}
	}
	return out
}

func (listContactsFiltered) Name() string { return "list-contacts-filtered" }
func (listContactsFiltered) Version() int { return 1 }
func (listContactsFiltered) Step(ctx context.Context, c *Client, rng *rand.Rand) error {
	f := contactFilters[rng.IntN(len(contactFilters))]
	q := url.Values{"filter": {f.filter}, "sort": {f.sort}, "limit": {"50"}}
	return c.Do(ctx, "GET", "/api/v1/contacts?"+q.Encode(), nil, "")
}

// createContact posts a new contact through the API, with a fresh email so
// duplicate detection has work to do but never blocks.
type createContact struct{}

func (createContact) Name() string { return "create-contact" }
func (createContact) Version() int { return 1 }
func (createContact) Step(ctx context.Context, c *Client, rng *rand.Rand) error {
	n := rng.Uint64()
	body, _ := json.Marshal(map[string]any{
		"first_name": fmt.Sprintf("Bench%d", n%1000), "last_name": fmt.Sprintf("Person%d", n),
		"email":     fmt.Sprintf("bench%d@load.example", n),
		"lifecycle": "lead",
	})
	return c.Do(ctx, "POST", "/api/v1/contacts", strings.NewReader(string(body)), "application/json")
}

// mixSalesTeam is a team at work: each simulated person clicks about every
// three seconds, 80% reads and 20% writes, drawn from the other workloads
// with these weights. Run it with `--workloads mix-sales-team`: the harness
// then searches for how many such people the instance holds with p95 within
// 100 ms (see load.Capacity).
type mixSalesTeam struct {
	parts  []Workload
	weight []int
	total  int
}

func newMixSalesTeam() *mixSalesTeam {
	m := &mixSalesTeam{}
	add := func(w Workload, weight int) {
		m.parts, m.weight, m.total = append(m.parts, w), append(m.weight, weight), m.total+weight
	}
	// Reads: 80.
	add(listContactsFiltered{}, 25)
	add(&recordPage{}, 25)
	add(searchGlobal{}, 15)
	add(getWorkload{name: "list-companies-page", version: 1, path: "/companies"}, 15)
	// Writes: 20.
	add(createContact{}, 12)
	add(createCompany{}, 8)
	return m
}

func (*mixSalesTeam) Name() string             { return "mix-sales-team" }
func (*mixSalesTeam) Version() int             { return 1 }
func (*mixSalesTeam) ThinkTime() time.Duration { return 3 * time.Second }
func (m *mixSalesTeam) Prepare(ctx context.Context, c *Client) error {
	for _, w := range m.parts {
		if p, ok := w.(Preparer); ok {
			if err := p.Prepare(ctx, c); err != nil {
				return fmt.Errorf("%s: %w", w.Name(), err)
			}
		}
	}
	return nil
}

func (m *mixSalesTeam) Step(ctx context.Context, c *Client, rng *rand.Rand) error {
	n := rng.IntN(m.total)
	for i, w := range m.weight {
		if n < w {
			return m.parts[i].Step(ctx, c, rng)
		}
		n -= w
	}
	return nil
}

// updateDealStage drags open deals to another stage of their pipeline
// through the API, as the board does on a drop.
type updateDealStage struct {
	deals  []dealRef
	stages map[string][]string // pipeline id → stage ids
}

type dealRef struct {
	ID         string `json:"id"`
	PipelineID string `json:"pipeline_id"`
}

func (*updateDealStage) Name() string { return "update-deal-stage" }
func (*updateDealStage) Version() int { return 1 }

func (u *updateDealStage) Prepare(ctx context.Context, c *Client) error {
	body, err := c.Get(ctx, "/api/v1/pipelines")
	if err != nil {
		return err
	}
	var ps struct {
		Data []struct {
			ID     string `json:"id"`
			Stages []struct {
				ID string `json:"id"`
			} `json:"stages"`
		} `json:"data"`
	}
	if err := json.Unmarshal([]byte(body), &ps); err != nil {
		return fmt.Errorf("pipelines: %w", err)
	}
	u.stages = map[string][]string{}
	for _, p := range ps.Data {
		for _, st := range p.Stages {
			u.stages[p.ID] = append(u.stages[p.ID], st.ID)
		}
	}
	q := url.Values{"filter": {`status = "open"`}, "limit": {"200"}}
	body, err = c.Get(ctx, "/api/v1/deals?"+q.Encode())
	if err != nil {
		return err
	}
	var ds struct {
		Data []dealRef `json:"data"`
	}
	if err := json.Unmarshal([]byte(body), &ds); err != nil {
		return fmt.Errorf("deals: %w", err)
	}
	for _, d := range ds.Data {
		if len(u.stages[d.PipelineID]) > 1 {
			u.deals = append(u.deals, d)
		}
	}
	if len(u.deals) == 0 {
		return fmt.Errorf("no open deals in a pipeline with two stages or more")
	}
	return nil
}

func (u *updateDealStage) Step(ctx context.Context, c *Client, rng *rand.Rand) error {
	d := u.deals[rng.IntN(len(u.deals))]
	stages := u.stages[d.PipelineID]
	body := `{"stage_id":"` + stages[rng.IntN(len(stages))] + `"}`
	return c.Do(ctx, "POST", "/api/v1/deals/"+d.ID+"/move", strings.NewReader(body), "application/json")
}
