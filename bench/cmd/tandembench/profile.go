package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"

	"github.com/tandemcrm/tandem/bench/load"
)

// worstOffender picks the workload to profile: the one furthest over its
// budget for this size and dialect, or, when none has a budget, the one
// with the highest p95.
func worstOffender(r Result, budgetsPath string) (WorkloadResult, string) {
	var budgets []Budget
	if b, err := os.ReadFile(budgetsPath); err == nil {
		_ = json.Unmarshal(b, &budgets)
	}
	var worst WorkloadResult
	var why string
	best := -1.0
	for _, w := range r.Workloads {
		for _, bu := range budgets {
			if bu.Workload == w.Name && bu.Size == r.Size && bu.Dialect == r.Dialect && bu.P95MaxMS > 0 {
				if ratio := w.P95 / bu.P95MaxMS; ratio > best {
					best, worst = ratio, w
					why = fmt.Sprintf("p95 %.2f ms is %.1fx its budget of %.0f ms", w.P95, ratio, bu.P95MaxMS)
				}
			}
		}
	}
	if best >= 0 {
		return worst, why
	}
	for _, w := range r.Workloads {
		if w.P95 > worst.P95 {
			worst, why = w, fmt.Sprintf("highest p95 (%.2f ms; no budget at this size)", w.P95)
		}
	}
	return worst, why
}

// profile runs workload w again while the server records a CPU profile for
// the whole measured time, then saves an allocation profile, and prints the
// top functions. Files: DIR/<dialect>-<size>-<workload>-{cpu,allocs}.pprof.
func profile(ctx context.Context, f runFlags, in *instance, client *load.Client, r Result, w load.Workload) error {
	if in.pprof == "" {
		return fmt.Errorf("the server printed no profiling address (is TANDEM_PPROF_ADDR supported by %s?)", f.bin)
	}
	if err := os.MkdirAll(f.profile, 0o755); err != nil {
		return err
	}
	base := filepath.Join(f.profile, fmt.Sprintf("%s-%s-%s", r.Dialect, r.Size, w.Name()))
	secs := int(f.duration.Seconds())
	if secs < 1 {
		secs = 1
	}
	cpuDone := make(chan error, 1)
	go func() {
		cpuDone <- fetch(ctx, fmt.Sprintf("%s/debug/pprof/profile?seconds=%d", in.pprof, secs), base+"-cpu.pprof")
	}()
	fig := load.Run(ctx, client, w, load.Options{Concurrency: f.concurrency, Duration: time.Duration(secs) * time.Second, Seed: f.seed})
	if err := <-cpuDone; err != nil {
		return err
	}
	if err := fetch(ctx, in.pprof+"/debug/pprof/allocs", base+"-allocs.pprof"); err != nil {
		return err
	}
	fmt.Printf("   profiled %s under load (p95 %.2f ms): %s-cpu.pprof, %s-allocs.pprof\n", w.Name(), fig.P95, base, base)
	top, err := exec.CommandContext(ctx, "go", "tool", "pprof", "-top", "-nodecount=15", base+"-cpu.pprof").Output()
	if err == nil {
		lines := strings.Split(string(top), "\n")
		for _, l := range lines[:min(len(lines), 22)] {
			fmt.Println("     " + l)
		}
	}
	fmt.Printf("   explore: go tool pprof -http=127.0.0.1:0 %s-cpu.pprof\n", base)
	return nil
}

func fetch(ctx context.Context, url, path string) error {
	req, err := http.NewRequestWithContext(ctx, "GET", url, nil)
	if err != nil {
		return err
	}
	resp, err := (&http.Client{Timeout: 5 * time.Minute}).Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("GET %s: %s", url, resp.Status)
	}
	out, err := os.Create(path)
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, resp.Body); err != nil {
		out.Close()
		return err
	}
	return out.Close()
}
