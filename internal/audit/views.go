package audit

import (
	"context"
	"log/slog"
	"sync"
	"time"

	"github.com/tandemcrm/tandem/internal/crm"
	"github.com/tandemcrm/tandem/internal/store"
)

// Views records who looked at personal data without slowing the looking
// down. A record page is a read: writing an audit entry in it would make
// every page view wait for SQLite's one writer. So Viewed only notes the
// entry in memory and returns; the entries are appended to the chain in
// batches, one write transaction each, at most Delay after the first one
// waiting. Two things keep that cheap and bounded:
//
//   - coalescing: the same actor viewing the same record (or exporting the
//     same thing) again within Window is not recorded again; the log says
//     "viewed at least once in this window", which is what an auditor asks;
//   - a bounded buffer: when MaxPending entries wait, the request that adds
//     one more writes the batch itself, so memory stays bounded and nothing
//     is dropped — under a flood, views slow down instead of vanishing.
//
// What it cannot promise: entries still waiting when the process dies
// (at most Delay's worth) are lost; a clean shutdown calls Flush. Coalescing
// is per process: two replicas each record a first view.
type Views struct {
	DB         *store.DB
	Log        *slog.Logger
	Window     time.Duration // coalescing window; 0 means 15 minutes
	Delay      time.Duration // longest wait before a batch is written; 0 means 1 second
	MaxPending int           // 0 means 1000

	mu      sync.Mutex
	last    map[viewKey]time.Time
	pending []Entry
	timer   *time.Timer
	writing sync.Mutex // one batch at a time keeps the chain order simple
}

type viewKey struct {
	ws, actor, object crm.ID
	actorType, typ    string
	action            string
}

// maxRemembered bounds the coalescing memory; beyond it, expired keys go.
const maxRemembered = 100_000

// Viewed notes that e.Actor viewed (or exported: set e.Action) e's object.
// e.Action defaults to RecordViewed; the time is now.
func (v *Views) Viewed(ctx context.Context, e Entry) {
	if e.Action == "" {
		e.Action = RecordViewed
	}
	if e.IP == "" && e.UserAgent == "" {
		c := ClientFrom(ctx)
		e.IP, e.UserAgent = c.IP, c.UserAgent
	}
	now := v.DB.Now()
	e.At = now
	k := viewKey{ws: e.WorkspaceID, actor: e.Actor.ID, object: e.ObjectID, actorType: e.Actor.Type, typ: e.ObjectType, action: e.Action}
	v.mu.Lock()
	if v.last == nil {
		v.last = map[viewKey]time.Time{}
	}
	if t, ok := v.last[k]; ok && now.Sub(t) < v.window() {
		v.mu.Unlock()
		return
	}
	if len(v.last) >= maxRemembered {
		for old, t := range v.last {
			if now.Sub(t) >= v.window() {
				delete(v.last, old)
			}
		}
	}
	v.last[k] = now
	v.pending = append(v.pending, e)
	full := len(v.pending) >= v.maxPending()
	if !full && v.timer == nil {
		v.timer = time.AfterFunc(v.delay(), func() { _ = v.Flush(context.Background()) })
	}
	v.mu.Unlock()
	if full {
		_ = v.Flush(context.WithoutCancel(ctx))
	}
}

// Flush writes every waiting entry now (shutdown, tests). A failed batch is
// logged and kept for the next flush, as far as the buffer allows.
func (v *Views) Flush(ctx context.Context) error {
	v.writing.Lock()
	defer v.writing.Unlock()
	v.mu.Lock()
	batch := v.pending
	v.pending = nil
	if v.timer != nil {
		v.timer.Stop()
		v.timer = nil
	}
	v.mu.Unlock()
	if len(batch) == 0 {
		return nil
	}
	err := v.DB.Write(ctx, func(tx *store.Tx) error {
		rows := make([]*row, 0, len(batch))
		for _, e := range batch {
			r, err := newRow(tx, e)
			if err != nil {
				return err
			}
			rows = append(rows, r)
		}
		return appendRows(tx, rows)
	})
	if err != nil {
		if v.Log != nil {
			v.Log.Error("audit: views not recorded yet", "entries", len(batch), "err", err)
		}
		v.mu.Lock()
		if room := v.maxPending() - len(v.pending); room > 0 {
			v.pending = append(batch[:min(len(batch), room)], v.pending...)
		}
		v.mu.Unlock()
	}
	return err
}

func (v *Views) window() time.Duration {
	if v.Window > 0 {
		return v.Window
	}
	return 15 * time.Minute
}

func (v *Views) delay() time.Duration {
	if v.Delay > 0 {
		return v.Delay
	}
	return time.Second
}

func (v *Views) maxPending() int {
	if v.MaxPending > 0 {
		return v.MaxPending
	}
	return 1000
}
