package web

import (
	"context"
	"net/http"
	"time"

	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/tandemcrm/tandem/internal/web/respond"
)

// healthz answers 200 while the process is up: for liveness probes.
func (s *Server) healthz(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.Write([]byte("ok\n"))
}

// readyz answers 200 only when the database answers and its schema is
// current: for load balancers deciding whether to send traffic here.
func (s *Server) readyz(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := context.WithTimeout(r.Context(), 3*time.Second)
	defer cancel()
	checks := map[string]string{"database": "ok", "migrations": "ok", "jobs": "ok"}
	status := http.StatusOK
	if err := s.DB.Ping(ctx); err != nil {
		checks["database"] = "unreachable"
		status = http.StatusServiceUnavailable
	} else if st, err := s.DB.Status(ctx); err != nil {
		checks["migrations"] = "unknown"
		status = http.StatusServiceUnavailable
	} else if !st.UpToDate() {
		checks["migrations"] = "pending: run tandem migrate up"
		status = http.StatusServiceUnavailable
	}
	if s.Jobs == nil {
		checks["jobs"] = "not running"
	} else if err := s.Jobs.Healthy(); err != nil {
		checks["jobs"] = err.Error()
		status = http.StatusServiceUnavailable
	}
	respond.JSON(w, status, map[string]any{"ready": status == http.StatusOK, "checks": checks, "version": s.Version})
}

func (s *Server) metricsHandler() http.Handler {
	return promhttp.HandlerFor(s.Metrics, promhttp.HandlerOpts{Registry: s.Metrics})
}
