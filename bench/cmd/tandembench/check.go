package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"sort"
)

// Budget is one target from a capability issue.
type Budget struct {
	Workload      string  `json:"workload"`
	Size          string  `json:"size"`
	Dialect       string  `json:"dialect"`
	P95MaxMS      float64 `json:"p95_max_ms,omitempty"`
	MinThroughput float64 `json:"min_throughput_rps,omitempty"`
	Source        string  `json:"source"`
}

// checkCmd compares the newest result of each workload, dialect and size
// to the budgets and prints which are met, with the ratio and the run it
// comes from. A run of a few workloads (one client, say) does not hide the
// other workloads' newest results.
func checkCmd(args []string) error {
	fs := flag.NewFlagSet("check", flag.ContinueOnError)
	dir := fs.String("results", "bench/results", "folder of JSON results")
	budgetsPath := fs.String("budgets", "bench/budgets.json", "budgets file")
	if err := fs.Parse(args); err != nil {
		return err
	}
	var budgets []Budget
	b, err := os.ReadFile(*budgetsPath)
	if err != nil {
		return err
	}
	if err := json.Unmarshal(b, &budgets); err != nil {
		return fmt.Errorf("%s: %w", *budgetsPath, err)
	}
	latest, err := latestResults(*dir)
	if err != nil {
		return err
	}
	fmt.Printf("%-24s %-4s %-8s %-26s %-26s %-28s %s\n", "workload", "size", "dialect", "budget", "measured", "verdict", "run")
	for _, bu := range budgets {
		var w *WorkloadResult
		run := ""
		if l, ok := latest[resultKey(bu.Dialect, bu.Size, bu.Workload)]; ok {
			w, run = &l.WorkloadResult, l.file
		}
		budget, measured, verdict := describe(bu, w)
		fmt.Printf("%-24s %-4s %-8s %-26s %-26s %-28s %s\n", bu.Workload, bu.Size, bu.Dialect, budget, measured, verdict, run)
	}
	return nil
}

// latestWorkload is a workload's newest result and the file it is in.
type latestWorkload struct {
	WorkloadResult
	file string
}

func resultKey(dialect, size, workload string) string { return dialect + "/" + size + "/" + workload }

func describe(bu Budget, w *WorkloadResult) (string, string, string) {
	budget := ""
	if bu.P95MaxMS > 0 {
		budget = fmt.Sprintf("p95 ≤ %.0f ms", bu.P95MaxMS)
	}
	if bu.MinThroughput > 0 {
		budget += fmt.Sprintf(" ≥ %.0f req/s", bu.MinThroughput)
	}
	if w == nil {
		return budget, "no result", "not measured"
	}
	measured := fmt.Sprintf("p95 %.2f ms, %.0f req/s", w.P95, w.Throughput)
	ok := w.Errors == 0
	ratio := 0.0
	if bu.P95MaxMS > 0 {
		ratio = w.P95 / bu.P95MaxMS
		ok = ok && w.P95 <= bu.P95MaxMS
	}
	if bu.MinThroughput > 0 {
		ok = ok && w.Throughput >= bu.MinThroughput
		if ratio == 0 {
			ratio = bu.MinThroughput / w.Throughput
		}
	}
	if ok {
		return budget, measured, fmt.Sprintf("met (%.2fx of budget)", ratio)
	}
	return budget, measured, fmt.Sprintf("MISSED (%.2fx)", ratio)
}

func latestResults(dir string) (map[string]latestWorkload, error) {
	files, err := filepath.Glob(filepath.Join(dir, "*.json"))
	if err != nil {
		return nil, err
	}
	sort.Strings(files) // names start with the UTC start time
	out := map[string]latestWorkload{}
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			return nil, err
		}
		var r Result
		if err := json.Unmarshal(b, &r); err != nil {
			return nil, fmt.Errorf("%s: %w", f, err)
		}
		for _, w := range r.Workloads {
			out[resultKey(r.Dialect, r.Size, w.Name)] = latestWorkload{w, filepath.Base(f)}
		}
	}
	return out, nil
}
