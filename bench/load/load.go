// Package load drives a running Tandem server over HTTP with named, versioned
// workloads at a fixed concurrency, and reports throughput, latency
// percentiles and the server's CPU time and peak memory.
package load

import (
	"context"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/tandemcrm/tandem/bench/hist"
)

// Client is what a workload uses to talk to the server.
type Client struct {
	Base    string // http://127.0.0.1:PORT
	Key     string // API key, for /api/ paths
	Session string // session cookie value, for browser pages
	HTTP    *http.Client
}

// Do sends a request with the API key and drains the response; a status of
// 400 or more is an error.
func (c *Client) Do(ctx context.Context, method, path string, body io.Reader, contentType string) error {
	req, err := http.NewRequestWithContext(ctx, method, c.Base+path, body)
	if err != nil {
		return err
	}
	if c.Key != "" && strings.HasPrefix(path, "/api/") {
		req.Header.Set("Authorization", "Bearer "+c.Key)
	}
	if c.Session != "" {
		req.AddCookie(&http.Cookie{Name: "tandem_session", Value: c.Session})
	}
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	resp, err := c.HTTP.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	_, _ = io.Copy(io.Discard, resp.Body)
	if resp.StatusCode >= 400 {
		return fmt.Errorf("%s %s: %s", method, path, resp.Status)
	}
	return nil
}

// Get fetches a page and returns its body (for workloads that collect ids).
func (c *Client) Get(ctx context.Context, path string) (string, error) {
	req, err := http.NewRequestWithContext(ctx, "GET", c.Base+path, nil)
	if err != nil {
		return "", err
	}
	if c.Session != "" {
		req.AddCookie(&http.Cookie{Name: "tandem_session", Value: c.Session})
	}
	if c.Key != "" && strings.HasPrefix(path, "/api/") {
		req.Header.Set("Authorization", "Bearer "+c.Key)
	}
	resp, err := c.HTTP.Do(req)
	if err != nil {
		return "", err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if resp.StatusCode >= 400 {
		return "", fmt.Errorf("GET %s: %s", path, resp.Status)
	}
	return string(b), err
}

// Workload is one named, versioned kind of request. Step sends one request
// chosen with rng (each worker has its own rng, seeded deterministically).
type Workload interface {
	Name() string
	Version() int
	Step(ctx context.Context, c *Client, rng *rand.Rand) error
}

// Options set how a workload runs.
type Options struct {
	Concurrency int
	Warmup      time.Duration
	Duration    time.Duration
	Seed        uint64
}

// Thinker is a workload of simulated people: after each step a client
// pauses for about ThinkTime (uniformly between half and one and a half
// times it), as a person reads the page before the next click. The pause is
// not part of the measured latency.
type Thinker interface {
	ThinkTime() time.Duration
}

// Figures are what one run measured.
type Figures struct {
	Requests   uint64  `json:"requests"`
	Errors     uint64  `json:"errors"`
	Throughput float64 `json:"throughput_rps"`
	P50        float64 `json:"p50_ms"`
	P95        float64 `json:"p95_ms"`
	P99        float64 `json:"p99_ms"`
	Max        float64 `json:"max_ms"`
	Mean       float64 `json:"mean_ms"`
	FirstError string  `json:"first_error,omitempty"`
}

// Preparer is a workload that needs to look around first (collect ids).
type Preparer interface {
	Prepare(ctx context.Context, c *Client) error
}

// Run warms up, then measures w for the duration at the concurrency.
func Run(ctx context.Context, c *Client, w Workload, o Options) Figures {
	if p, ok := w.(Preparer); ok {
		if err := p.Prepare(ctx, c); err != nil {
			return Figures{Errors: 1, FirstError: "prepare: " + err.Error()}
		}
	}
	if o.Warmup > 0 {
		phase(ctx, c, w, o.Concurrency, o.Warmup, o.Seed^0x5eed)
	}
	return figures(phase(ctx, c, w, o.Concurrency, o.Duration, o.Seed))
}

func figures(h *hist.Histogram, errs uint64, first string, elapsed time.Duration) Figures {
	ms := func(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }
	return Figures{
		Requests: h.Count(), Errors: errs, FirstError: first,
		Throughput: float64(h.Count()) / elapsed.Seconds(),
		P50:        ms(h.Quantile(0.50)), P95: ms(h.Quantile(0.95)), P99: ms(h.Quantile(0.99)),
		Max: ms(h.Max()), Mean: ms(h.Mean()),
	}
}

func phase(ctx context.Context, c *Client, w Workload, n int, d time.Duration, seed uint64) (*hist.Histogram, uint64, string, time.Duration) {
	ctx, cancel := context.WithTimeout(ctx, d)
	defer cancel()
	total := hist.New()
	var mu sync.Mutex
	var errs uint64
	var first string
	var wg sync.WaitGroup
	start := time.Now()
	for i := 0; i < n; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			rng := rand.New(rand.NewPCG(seed, uint64(i)))
			h := hist.New()
			var e uint64
			var fe string
			for ctx.Err() == nil {
				t0 := time.Now()
				err := w.Step(ctx, c, rng)
				if ctx.Err() != nil {
					break // cut off by the deadline: not a measurement
				}
				h.Record(time.Since(t0))
				if err != nil {
					e++
					if fe == "" {
						fe = err.Error()
					}
				}
				if th, ok := w.(Thinker); ok {
					think := th.ThinkTime()
					pause := think/2 + time.Duration(rng.Int64N(int64(think)+1))
					select {
					case <-ctx.Done():
					case <-time.After(pause):
					}
				}
			}
			mu.Lock()
			total.Merge(h)
			errs += e
			if first == "" {
				first = fe
			}
			mu.Unlock()
		}(i)
	}
	wg.Wait()
	return total, errs, first, time.Since(start)
}

// CapacityStep is one level of a capacity search.
type CapacityStep struct {
	Users int `json:"users"`
	Figures
}

// Capacity finds how many simulated users (a Thinker workload) the server
// holds with p95 within target and no errors: it doubles the users from
// start until a level fails or max is reached, then returns every level
// measured and the largest that passed (0 if none did).
func Capacity(ctx context.Context, c *Client, w Workload, o Options, target time.Duration, start, max int) ([]CapacityStep, int) {
	if p, ok := w.(Preparer); ok {
		if err := p.Prepare(ctx, c); err != nil {
			return []CapacityStep{{Figures: Figures{Errors: 1, FirstError: "prepare: " + err.Error()}}}, 0
		}
	}
	var steps []CapacityStep
	held := 0
	for users := start; users <= max && ctx.Err() == nil; users *= 2 {
		if o.Warmup > 0 {
			phase(ctx, c, w, users, o.Warmup, o.Seed^0x5eed)
		}
		f := figures(phase(ctx, c, w, users, o.Duration, o.Seed))
		steps = append(steps, CapacityStep{Users: users, Figures: f})
		if f.Errors > 0 || f.P95 > float64(target.Microseconds())/1000 {
			break
		}
		held = users
	}
	return steps, held
}
