package importer

import (
	"context"
	"log/slog"
	"time"

	"github.com/riverqueue/river"

	"github.com/tandemcrm/tandem/internal/crm"
	"github.com/tandemcrm/tandem/internal/jobs"
	"github.com/tandemcrm/tandem/internal/store"
)

// Enqueuer inserts a job in the caller's transaction; *jobs.Runner is one.
type Enqueuer interface {
	Enqueue(tx *store.Tx, args river.JobArgs, opts *river.InsertOpts) error
}

// JobArgs runs one import in the background.
type JobArgs struct {
	ImportID    crm.ID `json:"import_id"`
	WorkspaceID crm.ID `json:"workspace_id"`
}

// Kind names the job.
func (JobArgs) Kind() string { return "import.run" }

// Worker runs import jobs. A retried job (after a crash or a shutdown)
// continues from the import's last checkpoint.
type Worker struct {
	river.WorkerDefaults[JobArgs]
	DB  *store.DB
	Log *slog.Logger
}

// Timeout: a million rows take well under a minute, a hundred million
// need longer than River's default; six hours bounds a stuck run.
func (w *Worker) Timeout(*river.Job[JobArgs]) time.Duration { return 6 * time.Hour }

// Work runs the import. An import that failed for a reason a retry cannot
// fix (a bad file, a removed member) is recorded as failed and the job ends.
func (w *Worker) Work(ctx context.Context, job *river.Job[JobArgs]) error {
	imp, err := Execute(ctx, w.DB, job.Args.WorkspaceID, job.Args.ImportID, Options{})
	if err != nil && imp.Status == StatusFailed {
		if w.Log != nil {
			w.Log.Warn("import failed", "import", imp.ID, "err", err)
		}
		return nil
	}
	return err
}

// Register adds the import worker and the hourly purge of imports past
// their undo window.
func Register(reg *jobs.Registry, db *store.DB, log *slog.Logger) {
	jobs.Register(reg, &Worker{DB: db, Log: log})
	jobs.Register(reg, &PurgeWorker{DB: db})
	reg.Every(time.Hour, false, func() river.JobArgs { return PurgeArgs{} })
}

// Enqueue inserts the job that runs imp, in tx.
func Enqueue(tx *store.Tx, q Enqueuer, imp Import) error {
	return q.Enqueue(tx, JobArgs{ImportID: imp.ID, WorkspaceID: imp.WorkspaceID}, &river.InsertOpts{MaxAttempts: 10})
}

// Start runs imp in the background: it enqueues imp's job in tx, or, with
// no queue (tests, tools), runs it in this process once tx has committed.
func Start(tx *store.Tx, q Enqueuer, db *store.DB, imp Import, log *slog.Logger) error {
	if q != nil {
		return Enqueue(tx, q, imp)
	}
	tx.AfterCommit(func() {
		go func() {
			if _, err := Execute(context.Background(), db, imp.WorkspaceID, imp.ID, Options{}); err != nil && log != nil {
				log.Warn("import failed", "import", imp.ID, "err", err)
			}
		}()
	})
	return nil
}
