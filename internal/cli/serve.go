package cli

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"os"
	"runtime/debug"
	"time"

	"github.com/riverqueue/river"

	"github.com/tandemcrm/tandem/internal/account"
	"github.com/tandemcrm/tandem/internal/activities"
	"github.com/tandemcrm/tandem/internal/config"
	"github.com/tandemcrm/tandem/internal/importer"
	"github.com/tandemcrm/tandem/internal/jobs"
	"github.com/tandemcrm/tandem/internal/privacy"
	"github.com/tandemcrm/tandem/internal/secrets"
	"github.com/tandemcrm/tandem/internal/store"
	"github.com/tandemcrm/tandem/internal/sysmail"
	"github.com/tandemcrm/tandem/internal/web"
)

func runServe(ctx context.Context, env Env, args []string) error {
	fs := flags(env, "serve", "serve [--addr HOST:PORT] [--data-dir DIR] [--config FILE]")
	c, err := loadConfig(env, fs, args)
	if err != nil {
		return err
	}
	log := newLogger(c, env.Stderr)
	tuneGC(env.Getenv)
	if err := os.MkdirAll(c.DataDir, 0o750); err != nil {
		return fmt.Errorf("data directory %s cannot be created: %w", c.DataDir, err)
	}
	lock, err := lockShared(c) // keeps `tandem restore` away while we run
	if err != nil {
		return err
	}
	defer lock.Unlock()
	db, err := openDB(ctx, c, log)
	if err != nil {
		return err
	}
	defer db.Close()
	if err := prepareSchema(ctx, c, db, log); err != nil {
		return err
	}
	if err := db.Optimize(ctx); err != nil {
		log.Warn("planner statistics not refreshed", "err", err)
	}
	if err := db.ClaimNode(ctx); err != nil {
		return err
	}
	key, err := secrets.LoadOrCreateKey(c.DataDir, c.SecretKey)
	if err != nil {
		return err
	}
	if key.Created() {
		log.Warn("generated a new instance key: back it up with the database, or stored secrets are lost", "key", key.Origin())
	}
	sender, err := mailSender(c)
	if err != nil {
		return err
	}
	reminders := &activities.Reminders{DB: db, Mail: sender != nil, BaseURL: c.PublicURL()}
	pv := privacyService(c)
	reg := registry(db, sender, pv, log)
	reminders.Register(reg)
	runner, err := jobs.New(db, reg, log, jobs.Options{})
	if err != nil {
		return err
	}
	reminders.Queue = runner // reminder emails are enqueued in the worker's transaction
	if err := runner.Start(ctx); err != nil {
		return err
	}
	ln, err := net.Listen("tcp", c.Addr)
	if err != nil {
		_ = runner.Stop(context.Background())
		return fmt.Errorf("cannot listen on %s: %w", c.Addr, err)
	}
	if c.BaseURL == "" {
		c.Addr = ln.Addr().String() // the real port when :0 was asked for: links must carry it
	}
	if c.PprofAddr != "" {
		stop, err := servePprof(c.PprofAddr, env.Stdout, log)
		if err != nil {
			_ = runner.Stop(context.Background())
			return err
		}
		defer stop()
	}
	srv := web.NewServer(web.Deps{DB: db, Log: log, Config: c, Version: Version(), Jobs: runner, Queue: runner, Key: key,
		Suppress: pv.Suppress})
	httpSrv := &http.Server{
		Handler:           srv,
		ReadHeaderTimeout: 10 * time.Second,
		IdleTimeout:       2 * time.Minute,
		ErrorLog:          slog.NewLogLogger(log.Handler(), slog.LevelWarn),
	}
	served := make(chan error, 1)
	go func() { served <- httpSrv.Serve(ln) }()
	log.Info("tandem serving", "addr", ln.Addr().String(), "dialect", db.Dialect().String(),
		"version", Version(), "node", db.Node())
	if err := printSignIn(ctx, db, c, env); err != nil {
		log.Error("setup link", "err", err)
	}

	select {
	case err := <-served:
		_ = runner.Stop(context.Background())
		return fmt.Errorf("http server: %w", err)
	case <-ctx.Done():
	}
	log.Info("shutting down: finishing requests and jobs", "timeout", c.ShutdownTimeout.String())
	sctx, cancel := context.WithTimeout(context.Background(), c.ShutdownTimeout)
	defer cancel()
	errHTTP := httpSrv.Shutdown(sctx)
	errAudit := srv.FlushAudit(sctx) // record views still waiting for their batch
	errJobs := runner.Stop(sctx)
	if err := errors.Join(errHTTP, errAudit, errJobs); err != nil {
		return fmt.Errorf("shutdown: %w", err)
	}
	log.Info("stopped cleanly")
	return nil
}

// prepareSchema applies pending migrations, or refuses to start on an
// outdated schema when TANDEM_MIGRATE=false.
func prepareSchema(ctx context.Context, c config.Config, db *store.DB, log *slog.Logger) error {
	if c.Migrate {
		applied, err := db.Migrate(ctx)
		for _, a := range applied {
			log.Info("migration applied", "name", a)
		}
		return err
	}
	st, err := db.Status(ctx)
	if err != nil {
		return err
	}
	if !st.UpToDate() {
		return fmt.Errorf("database schema is outdated (%d pending); run `tandem migrate up` first", len(st.Pending)+st.RiverPending)
	}
	return nil
}

// registry lists every background job of the application.
func registry(db *store.DB, sender sysmail.Sender, pv privacy.Service, log *slog.Logger) *jobs.Registry {
	reg := jobs.NewRegistry()
	sysmail.Register(reg, db, sender, log)
	privacy.RegisterJobs(reg, db, pv, log)
	jobs.Register(reg, &jobs.PurgeWorker{DB: db, Also: []func(*store.Tx) (int64, error){account.PruneExpired, privacy.PruneRateLimits}, Optimize: true})
	importer.Register(reg, db, log)
	reg.Every(time.Hour, true, func() river.JobArgs { return jobs.PurgeArgs{} })
	return reg
}

// mailSender is the SMTP sender for system mail, or nil when none is
// configured: then messages are written to the log and the outbox page.
func mailSender(c config.Config) (sysmail.Sender, error) {
	if c.SMTPURL == "" {
		return nil, nil
	}
	host := "localhost"
	if u, err := url.Parse(c.PublicURL()); err == nil && u.Hostname() != "" {
		host = u.Hostname()
	}
	s, err := sysmail.NewSMTP(c.SMTPURL, "Tandem <tandem@"+host+">")
	if err != nil {
		return nil, err
	}
	return s, nil
}

// printSignIn tells the person at the terminal how to get in: a one-time
// setup link on a fresh instance, the sign-in page otherwise.
func printSignIn(ctx context.Context, db *store.DB, c config.Config, env Env) error {
	var token string
	err := db.Write(ctx, func(tx *store.Tx) (err error) {
		token, err = account.NewSetupToken(tx)
		return err
	})
	if err != nil {
		return err
	}
	base := c.PublicURL()
	if token != "" {
		fmt.Fprintf(env.Stdout, "\nTandem is running at %s\nNo account exists yet. Open this one-time link to create your workspace (valid 24 hours):\n\n    %s/setup?token=%s\n\n", base, base, token)
		return nil
	}
	fmt.Fprintf(env.Stdout, "\nTandem is running at %s — sign in at %s/login\n\n", base, base)
	return nil
}

// The collector's settings for serving, unless the environment chose its
// own (GOGC, GOMEMLIMIT; docs/OPERATIONS.md). A page allocates a few
// thousand small objects and the live heap is small, so at Go's default
// (GOGC=100) the collector ran all the time under load: 32 clients at a
// million contacts got 573–712 list pages/s, against 894–1,105 with these
// settings (docs/BENCHMARKS.md, "The collector under load"). The soft limit keeps the heap near the imports'
// 300 MB budget and small machines' memory: near it the collector works
// harder instead of letting the heap grow fivefold.
const (
	serveGCPercent   = 400
	serveMemoryLimit = 300 << 20
)

func tuneGC(getenv func(string) string) {
	if getenv("GOGC") == "" {
		debug.SetGCPercent(serveGCPercent)
	}
	if getenv("GOMEMLIMIT") == "" {
		debug.SetMemoryLimit(serveMemoryLimit)
	}
}
