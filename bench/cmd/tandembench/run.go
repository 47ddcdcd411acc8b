package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/tandemcrm/tandem/bench/load"
)

// Result is one run of one dialect: written as JSON, one file per run.
type Result struct {
	Started   time.Time        `json:"started"`
	Commit    string           `json:"commit"`
	Machine   Machine          `json:"machine"`
	Dialect   string           `json:"dialect"`
	Size      string           `json:"size"`
	Seed      uint64           `json:"seed"`
	SeedSecs  float64          `json:"seed_seconds"`
	Reused    bool             `json:"reused_data,omitempty"` // --data: seeded by an earlier run, holding its writes too
	Workloads []WorkloadResult `json:"workloads"`
}

// Machine describes where the figures come from.
type Machine struct {
	CPUs int    `json:"cpus"`
	Go   string `json:"go"`
	OS   string `json:"os"`
}

// WorkloadResult is one workload's figures.
type WorkloadResult struct {
	Name        string  `json:"name"`
	Version     int     `json:"version"`
	Concurrency int     `json:"concurrency"`
	Seconds     float64 `json:"seconds"`
	load.Figures
	ServerCPU float64 `json:"server_cpu_seconds"`
	PeakRSSMB float64 `json:"server_peak_rss_mb"`
	// For simulated-people workloads (mix-sales-team): every level of the
	// capacity search, and the most users held with p95 ≤ 100 ms.
	Capacity  []load.CapacityStep `json:"capacity,omitempty"`
	UsersHeld int                 `json:"users_held,omitempty"`
}

type runFlags struct {
	size, dialect, workloads, bin, out, pg string
	profile, budgets, data                 string
	concurrency, maxUsers                  int
	duration, warmup                       time.Duration
	seed                                   uint64
}

func runCmd(ctx context.Context, args []string) error {
	var f runFlags
	fs := flag.NewFlagSet("run", flag.ContinueOnError)
	fs.StringVar(&f.size, "size", "S", "data size: S, M or L")
	fs.StringVar(&f.dialect, "dialect", "sqlite", "sqlite, postgres or both (both prints the ratio)")
	fs.StringVar(&f.workloads, "workloads", strings.Join(defaultWorkloads(), ","), "comma-separated workloads (default: all but mix-sales-team, whose capacity search runs for several durations: name it)")
	fs.IntVar(&f.concurrency, "concurrency", 32, "concurrent clients")
	fs.IntVar(&f.maxUsers, "max-users", 4096, "highest level of the capacity search of simulated-people workloads (mix-sales-team)")
	fs.DurationVar(&f.duration, "duration", 10*time.Second, "measured time per workload")
	fs.DurationVar(&f.warmup, "warmup", 2*time.Second, "unmeasured warm-up per workload")
	fs.Uint64Var(&f.seed, "seed", 1, "data generator seed")
	fs.StringVar(&f.bin, "bin", "", "tandem binary (default: build one)")
	fs.StringVar(&f.out, "out", "bench/results", "folder for the JSON results")
	fs.StringVar(&f.profile, "profile", "", "after the run, profile the worst offender under load and write CPU and allocation profiles to this folder")
	fs.StringVar(&f.budgets, "budgets", "bench/budgets.json", "budgets file (picks the worst offender for --profile)")
	fs.StringVar(&f.data, "data", "", "SQLite only: a data directory to seed once and reuse in later runs (the workloads' writes accumulate in it; seeding L takes many minutes)")
	fs.StringVar(&f.pg, "pg", "postgres://postgres@127.0.0.1:5432/postgres", "PostgreSQL server for --dialect postgres")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if f.bin == "" {
		bin, err := build()
		if err != nil {
			return err
		}
		f.bin = bin
	}
	dialects := []string{f.dialect}
	if f.dialect == "both" {
		dialects = []string{"sqlite", "postgres"}
	}
	var results []Result
	for _, d := range dialects {
		r, err := runDialect(ctx, f, d)
		if err != nil {
			return fmt.Errorf("%s: %w", d, err)
		}
		path, err := save(f.out, r)
		if err != nil {
			return err
		}
		fmt.Printf("wrote %s\n", path)
		results = append(results, r)
	}
	if len(results) == 2 {
		printRatio(results[0], results[1])
	}
	return nil
}

func runDialect(ctx context.Context, f runFlags, dialect string) (Result, error) {
	r := Result{Started: time.Now().UTC(), Commit: commit(), Dialect: dialect, Size: strings.ToUpper(f.size), Seed: f.seed,
		Machine: Machine{CPUs: runtime.NumCPU(), Go: runtime.Version(), OS: runtime.GOOS + "/" + runtime.GOARCH}}
	dir := f.data
	if dir == "" || dialect != "sqlite" {
		tmp, err := os.MkdirTemp("", "tandembench-")
		if err != nil {
			return r, err
		}
		defer os.RemoveAll(tmp)
		dir = tmp
	}
	in := &instance{bin: f.bin, dataDir: dir, wantPprof: f.profile != ""}
	if dialect == "postgres" {
		name := fmt.Sprintf("tandem_bench_%d", time.Now().UnixNano())
		if err := pgAdmin(ctx, f.pg, "CREATE DATABASE "+name); err != nil {
			return r, err
		}
		defer pgAdmin(context.Background(), f.pg, "DROP DATABASE IF EXISTS "+name+" WITH (FORCE)")
		u, err := url.Parse(f.pg)
		if err != nil {
			return r, err
		}
		u.Path = "/" + name
		in.dbURL = u.String()
	}
	if reused, err := in.reuse(f.size, f.seed); err != nil {
		return r, err
	} else if reused {
		fmt.Printf("== %s, size %s: reusing the data seeded before in %s\n", dialect, r.Size, dir)
		r.Reused = true
	} else {
		fmt.Printf("== %s, size %s: seeding…\n", dialect, r.Size)
		took, err := in.seed(ctx, f.size, f.seed)
		if err != nil {
			return r, err
		}
		r.SeedSecs = took.Seconds()
		fmt.Printf("   seeded in %.1fs\n", r.SeedSecs)
	}
	if err := in.start(ctx); err != nil {
		in.stop()
		return r, err
	}
	defer in.stop()
	client := &load.Client{Base: in.base, Key: in.key, Session: in.session,
		HTTP: &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: f.concurrency * 2}, Timeout: 30 * time.Second}}
	all := load.Workloads()
	for _, name := range strings.Split(f.workloads, ",") {
		w, ok := all[strings.TrimSpace(name)]
		if !ok {
			return r, fmt.Errorf("unknown workload %q (known: %s)", name, strings.Join(load.Names(), ", "))
		}
		before, _ := load.ReadProc(in.cmd.Process.Pid)
		opts := load.Options{Concurrency: f.concurrency, Warmup: f.warmup, Duration: f.duration, Seed: f.seed}
		wr := WorkloadResult{Name: w.Name(), Version: w.Version(), Concurrency: f.concurrency, Seconds: f.duration.Seconds()}
		if _, people := w.(load.Thinker); people {
			// Simulated people: find how many the instance holds.
			wr.Capacity, wr.UsersHeld = load.Capacity(ctx, client, w, opts, 100*time.Millisecond, 16, f.maxUsers)
			last := wr.Capacity[len(wr.Capacity)-1]
			wr.Figures, wr.Concurrency = last.Figures, last.Users
			for _, st := range wr.Capacity {
				if st.Users == wr.UsersHeld {
					wr.Figures, wr.Concurrency = st.Figures, st.Users
				}
			}
			for _, st := range wr.Capacity {
				fmt.Printf("   %-22s %5d users %7.0f req/s  p95 %7.2f ms  errors %d\n", w.Name(), st.Users, st.Throughput, st.P95, st.Errors)
			}
			fmt.Printf("   %-22s holds %d simulated users with p95 ≤ 100 ms\n", w.Name(), wr.UsersHeld)
		} else {
			wr.Figures = load.Run(ctx, client, w, opts)
		}
		after, _ := load.ReadProc(in.cmd.Process.Pid)
		wr.ServerCPU, wr.PeakRSSMB = (after.CPU - before.CPU).Seconds(), after.PeakRSSMB
		r.Workloads = append(r.Workloads, wr)
		fmt.Printf("   %-22s %8.0f req/s  p50 %6.2f ms  p95 %6.2f ms  p99 %6.2f ms  errors %d  cpu %.1fs  rss %.0f MB\n",
			wr.Name, wr.Throughput, wr.P50, wr.P95, wr.P99, wr.Errors, wr.ServerCPU, wr.PeakRSSMB)
		if wr.FirstError != "" {
			fmt.Printf("     first error: %s\n", wr.FirstError)
		}
	}
	if f.profile != "" && len(r.Workloads) > 0 {
		worst, why := worstOffender(r, f.budgets)
		fmt.Printf("   worst offender: %s — %s\n", worst.Name, why)
		if err := profile(ctx, f, in, client, r, all[worst.Name]); err != nil {
			return r, fmt.Errorf("profile: %w", err)
		}
	}
	return r, nil
}

func printRatio(a, b Result) {
	fmt.Printf("\n%-22s %12s %12s %8s\n", "workload", a.Dialect+" p95", b.Dialect+" p95", "ratio")
	for i, w := range a.Workloads {
		if i < len(b.Workloads) && b.Workloads[i].P95 > 0 && w.P95 > 0 {
			fmt.Printf("%-22s %10.2fms %10.2fms %7.2fx\n", w.Name, w.P95, b.Workloads[i].P95, b.Workloads[i].P95/w.P95)
		}
	}
}

func save(dir string, r Result) (string, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", err
	}
	path := filepath.Join(dir, fmt.Sprintf("%s-%s-%s.json", r.Started.Format("20060102T150405"), r.Dialect, r.Size))
	b, _ := json.MarshalIndent(r, "", "  ")
	return path, os.WriteFile(path, append(b, '\n'), 0o644)
}

func build() (string, error) {
	dir, err := os.MkdirTemp("", "tandembench-bin-")
	if err != nil {
		return "", err
	}
	bin := filepath.Join(dir, "tandem")
	cmd := exec.Command("go", "build", "-o", bin, "./cmd/tandem")
	cmd.Stdout, cmd.Stderr = os.Stderr, os.Stderr
	return bin, cmd.Run()
}

func commit() string {
	out, err := exec.Command("git", "rev-parse", "--short=12", "HEAD").Output()
	if err != nil {
		return "unknown"
	}
	s := strings.TrimSpace(string(out))
	if st, _ := exec.Command("git", "status", "--porcelain", "--untracked-files=no").Output(); len(st) > 0 {
		s += "+dirty"
	}
	return s
}

func pgAdmin(ctx context.Context, dsn, stmt string) error {
	conn, err := pgx.Connect(ctx, dsn)
	if err != nil {
		return err
	}
	defer conn.Close(ctx)
	_, err = conn.Exec(ctx, stmt)
	return err
}

// defaultWorkloads is every workload but the simulated-people ones.
func defaultWorkloads() []string {
	var out []string
	all := load.Workloads()
	for _, n := range load.Names() {
		if _, people := all[n].(load.Thinker); !people {
			out = append(out, n)
		}
	}
	return out
}
