package load

import (
	"context"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"os"
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
