package web

import (
	"fmt"
	"net"
	"net/http"
	"runtime/debug"
	"strconv"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/tandemcrm/tandem/internal/audit"
	"github.com/tandemcrm/tandem/internal/crm"
	"github.com/tandemcrm/tandem/internal/ids"
)

// csp allows nothing inline: scripts and styles come only from our own
// /assets, so an injected <script> cannot run.
const csp = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; " +
	"font-src 'self'; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'; object-src 'none'"

func (s *Server) middleware(h http.Handler) http.Handler {
	// Cross-origin state-changing requests are refused by the browser's own
	// Sec-Fetch-Site / Origin headers: no tokens in forms or htmx calls.
	cop := http.NewCrossOriginProtection()
	cop.SetDenyHandler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.errs.Error(w, r, crm.Errorf(crm.Forbidden, "This request came from another site and was refused."))
	}))
	h = s.ui.LoadSession(h)
	h = cop.Handler(h)
	h = s.recoverer(h)
	h = securityHeaders(h)
	return s.observe(h)
}

func securityHeaders(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hd := w.Header()
		hd.Set("Content-Security-Policy", csp)
		hd.Set("X-Content-Type-Options", "nosniff")
		hd.Set("Referrer-Policy", "same-origin")
		hd.Set("X-Frame-Options", "DENY")
		hd.Set("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
		if r.TLS != nil {
			hd.Set("Strict-Transport-Security", "max-age=31536000")
		}
		h.ServeHTTP(w, r)
	})
}

func (s *Server) recoverer(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer func() {
			if p := recover(); p != nil {
				if p == http.ErrAbortHandler {
					panic(p)
				}
				err := fmt.Errorf("panic: %v\n%s", p, debug.Stack())
				s.errs.Error(w, r, err)
			}
		}()
		h.ServeHTTP(w, r)
	})
}

// statusWriter remembers the status and size of a response.
type statusWriter struct {
	http.ResponseWriter
	status int
	bytes  int
}

// WriteHeader passes the first final status on and drops later ones, which
// net/http would only log as superfluous: huma sets 499 after its 200 when
// the client went away during the body (seen under load, when the load
// generator stops).
func (w *statusWriter) WriteHeader(code int) {
	if w.status >= 200 {
		return
	}
	if code >= 200 {
		w.status = code
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *statusWriter) Write(b []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	n, err := w.ResponseWriter.Write(b)
	w.bytes += n
	return n, err
}

func (w *statusWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// Flush lets server-sent events through the wrapper.
func (w *statusWriter) Flush() {
	if f, ok := w.ResponseWriter.(http.Flusher); ok {
		f.Flush()
	}
}

type httpMetrics struct {
	duration *prometheus.HistogramVec
	inflight prometheus.Gauge
}

func newHTTPMetrics(reg *prometheus.Registry) *httpMetrics {
	m := &httpMetrics{
		duration: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    "tandem_http_request_duration_seconds",
			Help:    "Time to serve HTTP requests, by route pattern and status.",
			Buckets: []float64{.001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 10},
		}, []string{"method", "route", "status"}),
		inflight: prometheus.NewGauge(prometheus.GaugeOpts{
			Name: "tandem_http_requests_in_flight", Help: "Requests being served now."}),
	}
	reg.MustRegister(m.duration, m.inflight)
	return m
}

// observe gives every request an id (echoed in X-Request-Id and carried in
// its context into logs and events), logs it once, and records its duration.
func (s *Server) observe(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		id := r.Header.Get("X-Request-Id")
		if id == "" || len(id) > 64 {
			id = ids.Token(9)
		}
		w.Header().Set("X-Request-Id", id)
		r = r.WithContext(audit.WithClient(crm.WithRequestID(r.Context(), id), audit.Client{IP: peerIP(r), UserAgent: r.UserAgent()}))
		sw := &statusWriter{ResponseWriter: w}
		s.metrics.inflight.Inc()
		defer s.metrics.inflight.Dec()
		h.ServeHTTP(sw, r)
		if sw.status == 0 {
			sw.status = http.StatusOK
		}
		route := r.Pattern
		if route == "" {
			route = "unmatched"
		}
		d := time.Since(start)
		s.metrics.duration.WithLabelValues(r.Method, route, strconv.Itoa(sw.status)).Observe(d.Seconds())
		if r.URL.Path == "/healthz" || r.URL.Path == "/metrics" {
			return
		}
		s.Log.InfoContext(r.Context(), "http", "method", r.Method, "path", r.URL.Path, "route", route,
			"status", sw.status, "bytes", sw.bytes, "ms", float64(d.Microseconds())/1000, "request_id", id)
	})
}

// peerIP is the client's address without port (no proxy headers are
// trusted), for the audit log.
func peerIP(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}
