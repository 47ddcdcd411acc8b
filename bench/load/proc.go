package load

import (
	"fmt"
	"os"
	"strconv"
	"strings"
	"time"
)

// ProcStats are a process's CPU time and peak resident memory, read from
// /proc (Linux).
type ProcStats struct {
	CPU       time.Duration
	PeakRSSMB float64
}

// clockTicks is USER_HZ, 100 on every Linux we run on.
const clockTicks = 100

// ReadProc reads the stats of process pid.
func ReadProc(pid int) (ProcStats, error) {
	var st ProcStats
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return st, err
	}
	// Fields after the command name, which is in parentheses and may hold spaces.
	rest := string(b[strings.LastIndexByte(string(b), ')')+2:])
	f := strings.Fields(rest)
	if len(f) < 13 {
		return st, fmt.Errorf("short /proc/%d/stat", pid)
	}
	utime, _ := strconv.ParseInt(f[11], 10, 64)
	stime, _ := strconv.ParseInt(f[12], 10, 64)
	st.CPU = time.Duration(utime+stime) * time.Second / clockTicks
	status, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return st, err
	}
	for _, line := range strings.Split(string(status), "\n") {
		if v, ok := strings.CutPrefix(line, "VmHWM:"); ok {
			kb, _ := strconv.ParseFloat(strings.TrimSuffix(strings.TrimSpace(v), " kB"), 64)
			st.PeakRSSMB = kb / 1024
		}
	}
	return st, nil
}
