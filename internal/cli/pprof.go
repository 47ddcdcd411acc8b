package cli

import (
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/pprof"
	"os"
	rpprof "runtime/pprof"
	"time"
)

// servePprof serves Go's profiling endpoints on a separate loopback
// listener (TANDEM_PPROF_ADDR), never on the application's own port: the
// bench harness's profile mode reads CPU and allocation profiles from it.
// It prints the address, so that a port of 0 can be found.
func servePprof(addr string, out io.Writer, log *slog.Logger) (func(), error) {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("cannot listen on TANDEM_PPROF_ADDR %s: %w", addr, err)
	}
	mux := http.NewServeMux()
	mux.HandleFunc("/debug/pprof/", pprof.Index)
	mux.HandleFunc("/debug/pprof/cmdline", pprof.Cmdline)
	mux.HandleFunc("/debug/pprof/profile", pprof.Profile)
	mux.HandleFunc("/debug/pprof/symbol", pprof.Symbol)
	mux.HandleFunc("/debug/pprof/trace", pprof.Trace)
	srv := &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second}
	go func() {
		if err := srv.Serve(ln); err != nil && err != http.ErrServerClosed {
			log.Error("pprof server", "err", err)
		}
	}()
	fmt.Fprintf(out, "Profiling endpoints at http://%s/debug/pprof/\n", ln.Addr())
	log.Warn("profiling endpoints are on", "addr", ln.Addr().String())
	return func() { _ = srv.Close() }, nil
}

// startProfiles writes a CPU profile of the whole command to the file named
// by TANDEM_CPU_PROFILE and a heap profile at its end to TANDEM_MEM_PROFILE
// (both optional): how an import or export run from the command line is
// measured (bench/README.md). The returned function stops and writes them.
func startProfiles(getenv func(string) string, stderr io.Writer) (func(), error) {
	cpuPath, memPath := getenv("TANDEM_CPU_PROFILE"), getenv("TANDEM_MEM_PROFILE")
	var cpu *os.File
	if cpuPath != "" {
		f, err := os.Create(cpuPath)
		if err != nil {
			return nil, fmt.Errorf("TANDEM_CPU_PROFILE: %w", err)
		}
		if err := rpprof.StartCPUProfile(f); err != nil {
			f.Close()
			return nil, fmt.Errorf("TANDEM_CPU_PROFILE: %w", err)
		}
		cpu = f
	}
	return func() {
		if cpu != nil {
			rpprof.StopCPUProfile()
			if err := cpu.Close(); err != nil {
				fmt.Fprintf(stderr, "TANDEM_CPU_PROFILE: %v\n", err)
			}
		}
		if memPath != "" {
			f, err := os.Create(memPath)
			if err == nil {
				err = rpprof.Lookup("allocs").WriteTo(f, 0)
				if cerr := f.Close(); err == nil {
					err = cerr
				}
			}
			if err != nil {
				fmt.Fprintf(stderr, "TANDEM_MEM_PROFILE: %v\n", err)
			}
		}
	}, nil
}
