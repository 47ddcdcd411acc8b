package jobs

import (
	"context"

	"github.com/riverqueue/river"

	"github.com/tandemcrm/tandem/internal/store"
)

// PurgeArgs asks for expired sessions, setup tokens and node leases to be
// deleted.
type PurgeArgs struct{}

// Kind names the job.
func (PurgeArgs) Kind() string { return "maintenance.purge" }

// PurgeWorker deletes what has expired.
type PurgeWorker struct {
	river.WorkerDefaults[PurgeArgs]
	DB *store.DB
	// Also are the domain packages' own clean-ups (expired reset links,
	// sign-in counters, known devices…), run in the same transaction.
	Also []func(*store.Tx) (int64, error)
	// Optimize refreshes stale planner statistics afterwards (store.Optimize).
	Optimize bool
}

// Work deletes expired rows; running it twice is harmless.
func (w *PurgeWorker) Work(ctx context.Context, job *river.Job[PurgeArgs]) error {
	err := w.DB.Write(ctx, func(tx *store.Tx) error {
		now := store.Micros(tx.Now)
		for _, q := range []string{
			`DELETE FROM sessions WHERE expires_at < ?`,
			`DELETE FROM setup_tokens WHERE expires_at < ?`,
			`DELETE FROM nodes WHERE expires_at < ?`,
		} {
			if _, err := tx.Exec(q, now); err != nil {
				return err
			}
		}
		for _, prune := range w.Also {
			if _, err := prune(tx); err != nil {
				return err
			}
		}
		return nil
	})
	if err == nil && w.Optimize {
		err = w.DB.Optimize(ctx)
	}
	return err
}
