package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	"github.com/tandemcrm/tandem/bench/load"
)

// TestLatestPerWorkload: a newer run of one workload replaces that
// workload's figures only; the others keep theirs from the older run.
func TestLatestPerWorkload(t *testing.T) {
	dir := t.TempDir()
	write := func(name string, r Result) {
		b, err := json.Marshal(r)
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, name), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("20261201T080000-sqlite-L.json", Result{Dialect: "sqlite", Size: "L", Workloads: []WorkloadResult{
		{Name: "record-page", Figures: load.Figures{P95: 1.7}}, {Name: "list-contacts-filtered", Figures: load.Figures{P95: 18.05}}}})
	write("20261202T010000-sqlite-L.json", Result{Dialect: "sqlite", Size: "L", Workloads: []WorkloadResult{
		{Name: "list-contacts-filtered", Figures: load.Figures{P95: 18.3}}}})
	write("20261202T020000-postgres-L.json", Result{Dialect: "postgres", Size: "L", Workloads: []WorkloadResult{
		{Name: "record-page", Figures: load.Figures{P95: 3.4}}}})
	got, err := latestResults(dir)
	if err != nil {
		t.Fatal(err)
	}
	for key, want := range map[string]struct {
		p95  float64
		file string
	}{
		"sqlite/L/record-page":            {1.7, "20261201T080000-sqlite-L.json"},
		"sqlite/L/list-contacts-filtered": {18.3, "20261202T010000-sqlite-L.json"},
		"postgres/L/record-page":          {3.4, "20261202T020000-postgres-L.json"},
	} {
		if l, ok := got[key]; !ok || l.P95 != want.p95 || l.file != want.file {
			t.Errorf("%s: %+v, want p95 %.2f from %s", key, l, want.p95, want.file)
		}
	}
	if len(got) != 3 {
		t.Errorf("%d results, want 3: %v", len(got), got)
	}
}
