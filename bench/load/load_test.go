package load

import (
	"context"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"os"
	"sync/atomic"
	"testing"
	"time"
)

type pathWorkload string

func (p pathWorkload) Name() string { return "test" }
func (p pathWorkload) Version() int { return 1 }
func (p pathWorkload) Step(ctx context.Context, c *Client, rng *rand.Rand) error {
	return c.Do(ctx, "GET", string(p), nil, "")
}

func TestRunCountsRequestsAndErrors(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("Authorization") != "Bearer k" {
			w.WriteHeader(401)
			return
		}
		if r.URL.Path == "/api/bad" {
			w.WriteHeader(500)
		}
	}))
	defer srv.Close()
	c := &Client{Base: srv.URL, Key: "k", HTTP: srv.Client()}
	f := Run(context.Background(), c, pathWorkload("/api/ok"), Options{Concurrency: 4, Duration: 200 * time.Millisecond})
	if f.Requests < 10 || f.Errors != 0 || f.Throughput <= 0 || f.P95 < f.P50 {
		t.Fatalf("ok figures: %+v", f)
	}
	f = Run(context.Background(), c, pathWorkload("/api/bad"), Options{Concurrency: 2, Duration: 100 * time.Millisecond})
	if f.Errors == 0 || f.Errors != f.Requests || f.FirstError == "" {
		t.Fatalf("bad figures: %+v", f)
	}
}

func TestReadProc(t *testing.T) {
	st, err := ReadProc(os.Getpid())
	if err != nil {
		t.Fatal(err)
	}
	if st.PeakRSSMB <= 1 {
		t.Fatalf("peak RSS %v MB", st.PeakRSSMB)
	}
}

type thinking struct {
	pathWorkload
	think time.Duration
}

func (t thinking) ThinkTime() time.Duration { return t.think }

// TestThinkTimeIsNotLatency: a thinking client sends fewer requests, and
// its pauses do not show in the latencies.
func TestThinkTimeIsNotLatency(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {}))
	defer srv.Close()
	c := &Client{Base: srv.URL, HTTP: srv.Client()}
	f := Run(context.Background(), c, thinking{pathWorkload("/x"), 100 * time.Millisecond}, Options{Concurrency: 2, Duration: 500 * time.Millisecond})
	// 2 clients × 500 ms / (50..150 ms pauses): at most about 20 requests.
	if f.Requests == 0 || f.Requests > 24 || f.P95 >= 50 {
		t.Fatalf("figures with think time: %+v", f)
	}
}

// TestCapacityStopsAtTheFirstFailingLevel: a server that slows down past
// 4 concurrent requests holds 4 users, not 8.
func TestCapacityStopsAtTheFirstFailingLevel(t *testing.T) {
	var inflight atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer inflight.Add(-1)
		if inflight.Add(1) > 4 {
			// Far beyond the 150 ms limit, and the fast path far below
			// it, so that a loaded test machine does not change the verdict.
			time.Sleep(400 * time.Millisecond)
		}
		time.Sleep(2 * time.Millisecond) // so that concurrent clients overlap
	}))
	defer srv.Close()
	c := &Client{Base: srv.URL, HTTP: &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 64}}}
	steps, held := Capacity(context.Background(), c, pathWorkload("/x"), Options{Duration: time.Second}, 150*time.Millisecond, 1, 64)
	if held != 4 || len(steps) != 4 || steps[3].Users != 8 || steps[3].P95 < 150 {
		t.Fatalf("held %d after %+v", held, steps)
	}
}
