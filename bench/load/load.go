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
	"sync"
	"time"

	"github.com/tandemcrm/tandem/bench/hist"
)

// Client is what a workload uses to talk to the server.
type Client struct {
	Base string // http://127.0.0.1:PORT
	Key  string // API key
	HTTP *http.Client
}

// Do sends a request with the API key and drains the response; a status of
// 400 or more is an error.
func (c *Client) Do(ctx context.Context, method, path string, body io.Reader, contentType string) error {
	req, err := http.NewRequestWithContext(ctx, method, c.Base+path, body)
	if err != nil {
		return err
	}
	if c.Key != "" {
		req.Header.Set("Authorization", "Bearer "+c.Key)
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

// Run warms up, then measures w for the duration at the concurrency.
func Run(ctx context.Context, c *Client, w Workload, o Options) Figures {
	if o.Warmup > 0 {
		phase(ctx, c, w, o.Concurrency, o.Warmup, o.Seed^0x5eed)
	}
	h, errs, first, elapsed := phase(ctx, c, w, o.Concurrency, o.Duration, o.Seed)
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
