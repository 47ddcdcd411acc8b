package jobs

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"sync/atomic"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/riverqueue/river"
	"github.com/riverqueue/river/riverdriver/riverpgxv5"
	"github.com/riverqueue/river/riverdriver/riversqlite"

	"github.com/tandemcrm/tandem/internal/store"
)

// Registry collects the workers and periodic jobs of every capability before
// the runner starts.
type Registry struct {
	workers  *river.Workers
	periodic []*river.PeriodicJob
	names    []string
}

// NewRegistry returns an empty registry.
func NewRegistry() *Registry { return &Registry{workers: river.NewWorkers()} }

// Register adds the worker for one kind of job.
func Register[T river.JobArgs](r *Registry, w river.Worker[T]) {
	river.AddWorker(r.workers, w)
	var args T
	r.names = append(r.names, args.Kind())
}

// Every schedules a job built by build to run every interval on one of the
// running instances (River elects a leader), and once at start when
// runOnStart is set.
func (r *Registry) Every(interval time.Duration, runOnStart bool, build func() river.JobArgs) {
	args := build()
	r.periodic = append(r.periodic, river.NewPeriodicJob(river.PeriodicInterval(interval),
		func() (river.JobArgs, *river.InsertOpts) { return build(), nil },
		&river.PeriodicJobOpts{ID: args.Kind(), RunOnStart: runOnStart}))
}

// Kinds lists the registered job kinds.
func (r *Registry) Kinds() []string { return r.names }

// Options tune a Runner.
type Options struct {
	Workers      int           // concurrent jobs; default 8
	PollInterval time.Duration // how often to look for new jobs; default 1s (tests use less)
	InsertOnly   bool          // enqueue without working (CLI commands)
}

// Runner owns the River client for one process.
type Runner struct {
	db      *store.DB
	log     *slog.Logger
	lite    *river.Client[*sql.Tx]
	pg      *river.Client[pgx.Tx]
	started atomic.Bool
	stopped atomic.Bool
}

// New builds a runner for db with reg's workers.
func New(db *store.DB, reg *Registry, log *slog.Logger, o Options) (*Runner, error) {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	if o.Workers == 0 {
		o.Workers = 8
	}
	if o.PollInterval == 0 {
		o.PollInterval = time.Second
	}
	cfg := &river.Config{
		Logger:               log.With("component", "jobs"),
		JobTimeout:           10 * time.Minute,
		RescueStuckJobsAfter: 15 * time.Minute,
		FetchPollInterval:    o.PollInterval,
		FetchCooldown:        min(o.PollInterval, 100*time.Millisecond),
	}
	if !o.InsertOnly {
		cfg.Queues = map[string]river.QueueConfig{river.QueueDefault: {MaxWorkers: o.Workers}}
		cfg.Workers = reg.workers
		cfg.PeriodicJobs = reg.periodic
	}
	r := &Runner{db: db, log: log}
	var err error
	if db.Dialect() == store.Postgres {
		r.pg, err = river.NewClient(riverpgxv5.New(db.Pool()), cfg)
	} else {
		r.lite, err = river.NewClient(riversqlite.New(db.SQLDB()), cfg)
	}
	if err != nil {
		return nil, fmt.Errorf("jobs: %w", err)
	}
	return r, nil
}

// Start begins working jobs until Stop.
func (r *Runner) Start(ctx context.Context) error {
	var err error
	if r.pg != nil {
		err = r.pg.Start(ctx)
	} else {
		err = r.lite.Start(ctx)
	}
	if err != nil {
		return fmt.Errorf("jobs: start: %w", err)
	}
	r.started.Store(true)
	return nil
}

// Stop lets running jobs finish until ctx is done, then cancels them (they
// are retried later, elsewhere or after restart).
func (r *Runner) Stop(ctx context.Context) error {
	if !r.started.Load() || r.stopped.Swap(true) {
		return nil
	}
	var err error
	if r.pg != nil {
		err = r.pg.Stop(ctx)
	} else {
		err = r.lite.Stop(ctx)
	}
	if errors.Is(err, context.DeadlineExceeded) || errors.Is(err, context.Canceled) {
		r.log.Warn("jobs still running at shutdown deadline; cancelling them")
		c, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		if r.pg != nil {
			return r.pg.StopAndCancel(c)
		}
		return r.lite.StopAndCancel(c)
	}
	return err
}

// Healthy reports whether the runner is working jobs.
func (r *Runner) Healthy() error {
	switch {
	case !r.started.Load():
		return errors.New("not started")
	case r.stopped.Load():
		return errors.New("stopped")
	}
	return nil
}

// Enqueue inserts a job in tx: it runs only if tx commits.
func (r *Runner) Enqueue(tx *store.Tx, args river.JobArgs, opts *river.InsertOpts) error {
	var err error
	if r.pg != nil {
		_, err = r.pg.InsertTx(tx.Context(), tx.PgxTx(), args, opts)
	} else {
		_, err = r.lite.InsertTx(tx.Context(), tx.SQLTx(), args, opts)
	}
	if err != nil {
		return fmt.Errorf("jobs: enqueue %s: %w", args.Kind(), err)
	}
	return nil
}

// CompleteTx marks job done in tx, so that a worker's writes and the job's
// completion commit together: the effect then happens exactly once.
func CompleteTx[T river.JobArgs](tx *store.Tx, job *river.Job[T]) error {
	var err error
	if tx.Dialect() == store.Postgres {
		_, err = river.JobCompleteTx[*riverpgxv5.Driver](tx.Context(), tx.PgxTx(), job)
	} else {
		_, err = river.JobCompleteTx[*riversqlite.Driver](tx.Context(), tx.SQLTx(), job)
	}
	return err
}
