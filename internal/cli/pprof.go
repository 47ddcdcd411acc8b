package cli

import (
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/pprof"
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
