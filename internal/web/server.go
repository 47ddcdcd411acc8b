package web

import (
	"context"
	"log/slog"
	"net/http"
	"path/filepath"
	"strings"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"

	"github.com/tandemcrm/tandem/internal/audit"
	"github.com/tandemcrm/tandem/internal/config"
	"github.com/tandemcrm/tandem/internal/consent"
	"github.com/tandemcrm/tandem/internal/files"
	"github.com/tandemcrm/tandem/internal/ids"
	"github.com/tandemcrm/tandem/internal/notes"
	"github.com/tandemcrm/tandem/internal/privacy"
	"github.com/tandemcrm/tandem/internal/secrets"
	"github.com/tandemcrm/tandem/internal/sso"
	"github.com/tandemcrm/tandem/internal/store"
	"github.com/tandemcrm/tandem/internal/sysmail"
	"github.com/tandemcrm/tandem/internal/web/api"
	"github.com/tandemcrm/tandem/internal/web/assets"
	"github.com/tandemcrm/tandem/internal/web/respond"
	"github.com/tandemcrm/tandem/internal/web/ui"
)

// Deps is everything the HTTP layer needs; nothing is global.
type Deps struct {
	DB      *store.DB
	Log     *slog.Logger
	Config  config.Config
	Version string
	// Jobs reports whether the job runner is healthy (nil: not running here).
	Jobs interface{ Healthy() error }
	// Queue enqueues jobs in a store transaction (system mail); may be nil in tests.
	Queue sysmail.Enqueuer
	// Key is the instance key that seals secrets at rest; may be nil in tests.
	Key *secrets.Key
	// Suppress adds an erased person's identifiers to the suppression list
	// (the consent package); nil: erasure does not suppress.
	Suppress privacy.SuppressFunc
	// Metrics collects Prometheus metrics; nil makes a fresh registry.
	Metrics *prometheus.Registry
}

// Server is the HTTP handler with its dependencies.
type Server struct {
	Deps
	errs     respond.Errors
	mux      *http.ServeMux
	handler  http.Handler
	metrics  *httpMetrics
	assets   *assets.Set
	ui       *ui.Handlers
	api      *api.API
	views    *audit.Views
	patterns []string
}

// NewServer wires every route and middleware and returns the handler.
func NewServer(d Deps) *Server {
	if d.Log == nil {
		d.Log = slog.New(slog.DiscardHandler)
	}
	if d.Metrics == nil {
		d.Metrics = prometheus.NewRegistry()
		d.Metrics.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	}
	s := &Server{Deps: d, mux: http.NewServeMux()}
	s.errs = respond.Errors{Log: d.Log, Page: s.errorPage}
	s.metrics = newHTTPMetrics(d.Metrics)
	s.assets = assets.Load()
	if d.Key == nil {
		// Tests only: serve always passes the instance key.
		d.Key, _ = secrets.ParseKey(ids.Token(32))
		s.Deps.Key = d.Key
	}
	consent.SetKey(d.Key)
	audit.Install(d.DB) // every change to personal data is logged from the event stream
	s.views = &audit.Views{DB: d.DB, Log: d.Log}
	s.ui = &ui.Handlers{DB: d.DB, Log: d.Log, Errs: s.errs, Assets: s.assets, Queue: d.Queue, Key: d.Key, SMTP: d.Config.SMTPURL != "",
		Notes: notes.Service{R: notes.NewRenderer()}, Files: files.Store{Dir: filepath.Join(d.Config.DataDir, "files")},
		BaseURL: d.Config.PublicURL(), SecureCookies: strings.HasPrefix(d.Config.PublicURL(), "https://"), Views: s.views}
	if c := d.Config; c.OIDCIssuer != "" {
		s.ui.SSO = &sso.Provider{Issuer: c.OIDCIssuer, ClientID: c.OIDCClientID, ClientSecret: c.OIDCClientSecret,
			RedirectURL: c.PublicURL() + "/login/sso/callback"}
		s.ui.SSOName = c.OIDCName
		if s.ui.SSOName == "" {
			s.ui.SSOName = "single sign-on"
		}
	}
	importDir := "" // tests without a data directory: a temp directory
	if d.Config.DataDir != "" {
		importDir = filepath.Join(d.Config.DataDir, "imports")
	}
	s.ui.ImportDir = importDir
	s.ui.Privacy = privacy.Service{Registry: privacy.Default(), FilesDir: s.ui.Files.Dir, Key: d.Key,
		Mail: privacy.SysMailer(d.Queue), BaseURL: d.Config.PublicURL(), Suppress: d.Suppress}
	s.api = api.New(s.mux, api.Deps{DB: d.DB, Log: d.Log, Version: d.Version, Queue: d.Queue, BaseURL: d.Config.PublicURL(),
		Privacy: s.ui.Privacy, ImportDir: importDir, Views: s.views})
	s.routes()
	s.handler = s.middleware(s.mux)
	return s
}

func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) { s.handler.ServeHTTP(w, r) }

// FlushAudit writes the record views still waiting for their batch (at
// shutdown, after the last request; tests call it before reading the log).
func (s *Server) FlushAudit(ctx context.Context) error { return s.views.Flush(ctx) }

// Mux exposes the router so tests can enumerate every route.
func (s *Server) Mux() *http.ServeMux { return s.mux }
