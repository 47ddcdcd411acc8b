package load

import (
	"context"
	"math/rand/v2"
	"sort"
)

// Workloads is every named workload the harness knows, by name. Each has a
// version: change the version whenever a change makes old figures
// incomparable.
func Workloads() map[string]Workload {
	ws := []Workload{
		getWorkload{name: "api-me", version: 1, path: "/api/v1/me"},
		getWorkload{name: "healthz", version: 1, path: "/healthz"},
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

// getWorkload requests one fixed path: baselines for the cost of the HTTP
// stack, authentication and the database round trip.
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
