package jobs_test

import (
	"context"
	"errors"
	"sync/atomic"
	"testing"
	"time"

	"github.com/riverqueue/river"

	"github.com/tandemcrm/tandem/internal/jobs"
	"github.com/tandemcrm/tandem/internal/store"
	"github.com/tandemcrm/tandem/internal/store/testdb"
)

func TestMain(m *testing.M) { testdb.Main(m) }

type noteArgs struct {
	Workspace int64  `json:"workspace"`
	Text      string `json:"text"`
}

func (noteArgs) Kind() string { return "test.note" }

// noteWorker writes a company row named after the job and completes the job
// in the same transaction: the effect happens exactly once.
type noteWorker struct {
	river.WorkerDefaults[noteArgs]
	db   *store.DB
	runs atomic.Int32
}

func (w *noteWorker) Work(ctx context.Context, job *river.Job[noteArgs]) error {
	w.runs.Add(1)
	return w.db.Write(ctx, func(tx *store.Tx) error {
		if _, err := tx.Exec(`INSERT INTO companies (id, workspace_id, name, created_at, updated_at) VALUES (?, ?, ?, ?, ?)`,
			tx.NewID(), job.Args.Workspace, job.Args.Text, store.Micros(tx.Now), store.Micros(tx.Now)); err != nil {
			return err
		}
		return jobs.CompleteTx(tx, job)
	})
}

type tickArgs struct{}

func (tickArgs) Kind() string { return "test.tick" }

type tickWorker struct {
	river.WorkerDefaults[tickArgs]
	ticks chan struct{}
}

func (w *tickWorker) Work(ctx context.Context, job *river.Job[tickArgs]) error {
	select {
	case w.ticks <- struct{}{}:
	default:
	}
	return nil
}

func TestTransactionalEnqueueAndPeriodic(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		reg := jobs.NewRegistry()
		nw := &noteWorker{db: db}
		tw := &tickWorker{ticks: make(chan struct{}, 1)}
		jobs.Register(reg, nw)
		jobs.Register(reg, tw)
		jobs.Register(reg, &jobs.PurgeWorker{DB: db})
		reg.Every(time.Hour, true, func() river.JobArgs { return tickArgs{} })
		r, err := jobs.New(db, reg, nil, jobs.Options{PollInterval: 50 * time.Millisecond})
		if err != nil {
			t.Fatal(err)
		}
		ws := int64(db.NewID())
		// Enqueued in a transaction that rolls back: never runs.
		rollback := errors.New("rollback")
		err = db.Write(ctx, func(tx *store.Tx) error {
			if err := r.Enqueue(tx, noteArgs{Workspace: ws, Text: "ghost"}, nil); err != nil {
				return err
			}
			return rollback
		})
		if !errors.Is(err, rollback) {
			t.Fatal(err)
		}
		// Enqueued in a committed transaction: runs once.
		if err := db.Write(ctx, func(tx *store.Tx) error {
			return r.Enqueue(tx, noteArgs{Workspace: ws, Text: "real"}, nil)
		}); err != nil {
			t.Fatal(err)
		}
		if err := r.Start(ctx); err != nil {
			t.Fatal(err)
		}
		if err := r.Healthy(); err != nil {
			t.Fatalf("Healthy after start: %v", err)
		}
		select {
		case <-tw.ticks:
		case <-time.After(15 * time.Second):
			t.Fatal("periodic job with RunOnStart did not run")
		}
		deadline := time.Now().Add(15 * time.Second)
		var names []string
		for time.Now().Before(deadline) {
			names = names[:0]
			err := db.Read(ctx, func(tx *store.Tx) error {
				rows, err := tx.Query(`SELECT name FROM companies WHERE workspace_id = ?`, ws)
				if err != nil {
					return err
				}
				defer rows.Close()
				for rows.Next() {
					var n string
					if err := rows.Scan(&n); err != nil {
						return err
					}
					names = append(names, n)
				}
				return rows.Err()
			})
			if err != nil {
				t.Fatal(err)
			}
			if len(names) > 0 {
				break
			}
			time.Sleep(50 * time.Millisecond)
		}
		stopCtx, cancel := context.WithTimeout(ctx, 10*time.Second)
		defer cancel()
		if err := r.Stop(stopCtx); err != nil {
			t.Fatalf("Stop: %v", err)
		}
		if r.Healthy() == nil {
			t.Fatal("Healthy after Stop")
		}
		if len(names) != 1 || names[0] != "real" || nw.runs.Load() != 1 {
			t.Fatalf("companies written by jobs = %v after %d runs; want exactly [real] once", names, nw.runs.Load())
		}
	})
}
