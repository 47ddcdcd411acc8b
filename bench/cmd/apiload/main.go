// Command apiload sends GET requests to one URL with an API key at a fixed
// concurrency for a while and prints the latency percentiles, for the
// import benchmark's "the API stays responsive during an import" check
// (bench/import-api.sh).
//
//	apiload -url http://127.0.0.1:8080/api/v1/contacts?limit=50 -key KEY -c 4 -d 20s
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"net/http"
	"os"
	"slices"
	"sync"
	"time"
)

func main() {
	url := flag.String("url", "", "URL to GET")
	key := flag.String("key", os.Getenv("TANDEM_API_KEY"), "API key (Bearer)")
	conc := flag.Int("c", 4, "concurrent clients")
	dur := flag.Duration("d", 20*time.Second, "how long")
	label := flag.String("label", "", "printed before the figures")
	flag.Parse()
	if *url == "" {
		fmt.Fprintln(os.Stderr, "apiload: -url is required")
		os.Exit(2)
	}
	ctx, cancel := context.WithTimeout(context.Background(), *dur)
	defer cancel()
	var mu sync.Mutex
	var lat []time.Duration
	errs := 0
	var wg sync.WaitGroup
	for range *conc {
		wg.Go(func() {
			for ctx.Err() == nil {
				req, _ := http.NewRequestWithContext(context.Background(), http.MethodGet, *url, nil)
				req.Header.Set("Authorization", "Bearer "+*key)
				start := time.Now()
				resp, err := http.DefaultClient.Do(req)
				if err == nil {
					_, _ = io.Copy(io.Discard, resp.Body)
					resp.Body.Close()
				}
				d := time.Since(start)
				mu.Lock()
				if err != nil || resp.StatusCode != http.StatusOK {
					errs++
				} else {
					lat = append(lat, d)
				}
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	if len(lat) == 0 {
		fmt.Printf("%s no successful requests (%d errors)\n", *label, errs)
		os.Exit(1)
	}
	slices.Sort(lat)
	q := func(p float64) time.Duration {
		return lat[min(len(lat)-1, int(p*float64(len(lat))))].Round(10 * time.Microsecond)
	}
	fmt.Printf("%s requests=%d errors=%d rate=%.0f/s p50=%s p95=%s p99=%s\n", *label, len(lat), errs,
		float64(len(lat))/dur.Seconds(), q(0.50), q(0.95), q(0.99))
}
