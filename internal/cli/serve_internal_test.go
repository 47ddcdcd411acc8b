package cli

import (
	"math"
	"runtime/debug"
	"testing"
)

// TestTuneGC: serving sets the collector's percentage and soft limit, but
// never over what the environment chose.
func TestTuneGC(t *testing.T) {
	pct, limit := debug.SetGCPercent(100), debug.SetMemoryLimit(math.MaxInt64)
	t.Cleanup(func() { debug.SetGCPercent(pct); debug.SetMemoryLimit(limit) })

	tuneGC(func(string) string { return "" })
	if got := debug.SetGCPercent(100); got != serveGCPercent {
		t.Errorf("GC percent %d, want %d", got, serveGCPercent)
	}
	if got := debug.SetMemoryLimit(math.MaxInt64); got != serveMemoryLimit {
		t.Errorf("memory limit %d, want %d", got, serveMemoryLimit)
	}

	chosen := map[string]string{"GOGC": "150", "GOMEMLIMIT": "2GiB"}
	tuneGC(func(k string) string { return chosen[k] })
	if got := debug.SetGCPercent(100); got != 100 {
		t.Errorf("GOGC set, yet the percent became %d", got)
	}
	if got := debug.SetMemoryLimit(-1); got != math.MaxInt64 {
		t.Errorf("GOMEMLIMIT set, yet the limit became %d", got)
	}
}

// TestImportMemory: an import's rows run under the higher limit, what
// follows under the lower one; GOMEMLIMIT in the environment wins.
func TestImportMemory(t *testing.T) {
	limit := debug.SetMemoryLimit(math.MaxInt64)
	t.Cleanup(func() { debug.SetMemoryLimit(limit) })

	done := importMemory(func(string) string { return "" })
	if got := debug.SetMemoryLimit(-1); got != rowsMemoryLimit {
		t.Errorf("limit while rows are read %d, want %d", got, rowsMemoryLimit)
	}
	done()
	if got := debug.SetMemoryLimit(-1); got != memoryLimit {
		t.Errorf("limit after the rows %d, want %d", got, memoryLimit)
	}

	debug.SetMemoryLimit(math.MaxInt64)
	if done := importMemory(func(k string) string { return map[string]string{"GOMEMLIMIT": "1GiB"}[k] }); done != nil {
		t.Error("GOMEMLIMIT set, yet a function to lower the limit")
	}
	if got := debug.SetMemoryLimit(-1); got != math.MaxInt64 {
		t.Errorf("GOMEMLIMIT set, yet the limit became %d", got)
	}
}
