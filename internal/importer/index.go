package importer

import (
	"context"
	"encoding/json"
	"errors"
	"sync"

	"github.com/tandemcrm/tandem/internal/crm"
	"github.com/tandemcrm/tandem/internal/store"
)

// indexChunkDone, when set (tests), is called after each chunk of
// documents is committed.
var indexChunkDone func()

// indexChunkRows is how many search documents one transaction writes: a
// long transaction would hold SQLite's one writer (and the node lease that
// keeps ids unique) for too long.
var indexChunkRows = 25_000

// index writes the search documents of the records the import created, in
// chunks, remembering in the import how far it got, so a crash here resumes
// without indexing a record twice.
func (ex *execution) index(ctx context.Context) error {
	if ex.imp.DryRun {
		return nil
	}
	ws, id := ex.imp.WorkspaceID, ex.imp.ID
	if ex.db.Dialect() == store.SQLite {
		// Writing documents rewrites FTS5 segment pages, and each
		// statement's journal of them lived in memory (the import's
		// setting): +70 MB of peak memory at 200,000 rows. On disk, the
		// peak stays that of the row phase (measured, docs/BENCHMARKS.md).
		if _, err := ex.db.SQLDB().ExecContext(ctx, `PRAGMA temp_store = FILE`); err != nil {
			return errf("temp store: %w", err)
		}
		defer ex.db.SQLDB().ExecContext(context.WithoutCancel(ctx), `PRAGMA temp_store = MEMORY`) //nolint:errcheck // a setting
	}
	if ex.imp.RowsDone >= rebuildMinRows {
		deferMerges := ginPendingLists
		if ex.db.Dialect() == store.SQLite {
			deferMerges = ftsMergesDeferred
		}
		restore, err := deferMerges(ctx, ex.db)
		if err != nil {
			return err
		}
		defer restore()
	}
	// PostgreSQL writes a big import's documents two chunks at a time, on
	// two connections: each backend merges its own share of the trigram
	// indexes' pending lists (1M documents in chunks of 25,000: 28 s one
	// chunk at a time, 18 s two at once).
	per := 1
	if ex.db.Dialect() == store.Postgres && ex.imp.RowsDone >= rebuildMinRows {
		per = indexParallel
	}
	for _, t := range ex.kind.Index() {
		for {
			if err := ctx.Err(); err != nil {
				return err
			}
			var n int
			var err error
			if per == 1 {
				err = ex.db.Write(ctx, func(tx *store.Tx) error {
					progress, err := indexProgress(tx, ws, id)
					if err != nil {
						return err
					}
					last, done, err := indexChunk(tx, ex.rn, t, progress[t.Table], indexChunkRows)
					if err != nil || done == 0 {
						return err
					}
					n, progress[t.Table] = done, last
					return saveIndexProgress(tx, ws, id, progress)
				})
			} else {
				n, err = ex.indexAtOnce(ctx, t, per)
			}
			if err != nil {
				return err
			}
			if indexChunkDone != nil {
				indexChunkDone()
			}
			if n < per*indexChunkRows {
				break
			}
		}
	}
	return nil
}

// indexParallel is how many chunks of documents a big PostgreSQL import
// writes at once.
const indexParallel = 2

// indexAtOnce writes the next `per` chunks of t's documents at once, each
// on its own connection and transaction, and then saves the progress past
// them all: a crash before that writes them again, which indexRange allows.
func (ex *execution) indexAtOnce(ctx context.Context, t IndexTarget, per int) (int, error) {
	ws, id := ex.imp.WorkspaceID, ex.imp.ID
	var ranges [][2]crm.ID
	var n int
	err := ex.db.Read(ctx, func(tx *store.Tx) error {
		progress, err := indexProgress(tx, ws, id)
		if err != nil {
			return err
		}
		lo := progress[t.Table]
		for range per {
			hi, k, err := chunkEnd(tx, ex.rn, t, lo, indexChunkRows)
			if err != nil || k == 0 {
				return err
			}
			ranges, n, lo = append(ranges, [2]crm.ID{lo, hi}), n+k, hi
		}
		return nil
	})
	if err != nil || n == 0 {
		return 0, err
	}
	errs := make([]error, len(ranges))
	var wg sync.WaitGroup
	for i, rg := range ranges {
		wg.Go(func() {
			errs[i] = ex.db.Write(ctx, func(tx *store.Tx) error { return indexRange(tx, ex.rn, t, rg[0], rg[1]) })
		})
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		return 0, err
	}
	return n, ex.db.Write(ctx, func(tx *store.Tx) error {
		progress, err := indexProgress(tx, ws, id)
		if err != nil {
			return err
		}
		progress[t.Table] = ranges[len(ranges)-1][1]
		return saveIndexProgress(tx, ws, id, progress)
	})
}

// indexProgress is how far the import's search documents got, per table:
// the last record id whose document is written.
func indexProgress(tx *store.Tx, ws, id crm.ID) (map[string]crm.ID, error) {
	var raw string
	if err := tx.QueryRow(`SELECT index_progress FROM imports WHERE workspace_id = ? AND id = ?`, ws, id).Scan(&raw); err != nil {
		return nil, err
	}
	progress := map[string]crm.ID{}
	if err := json.Unmarshal([]byte(raw), &progress); err != nil {
		return nil, errf("index progress: %w", err)
	}
	return progress, nil
}

func saveIndexProgress(tx *store.Tx, ws, id crm.ID, progress map[string]crm.ID) error {
	_, err := tx.Exec(`UPDATE imports SET index_progress = ?, updated_at = ? WHERE workspace_id = ? AND id = ?`,
		jsonText(progress), store.Micros(tx.Now), ws, id)
	return err
}

// Interrupted marks a running import of this process as cancelled after
// its context was cancelled (Ctrl-C in the CLI), so it can be resumed at
// once rather than after StaleAfter. What was committed stays.
func Interrupted(db *store.DB, ws, id crm.ID) error {
	return db.Write(context.Background(), func(tx *store.Tx) error {
		_, err := tx.Exec(`UPDATE imports SET status = ?, updated_at = ?, undo_until = ? WHERE workspace_id = ? AND id = ? AND status = ?`,
			Cancelled, store.Micros(tx.Now), store.Micros(tx.Now.Add(UndoWindow)), ws, id, Running)
		return err
	})
}

// searchGINIndexes are PostgreSQL's trigram indexes on search_index. They
// run without GIN's pending list (fastupdate = off, migration 00017), so
// that a search never reads an unsorted list of recent documents; but then
// every document costs a hundred-odd index insertions, one by one: 6 of
// the 7.5 minutes of a 1M-row import (docs/BENCHMARKS.md).
var searchGINIndexes = []string{"search_index_ws_title", "search_index_ws_body"}

// ginPendingLists turns the pending list on for a big import's documents —
// they are then merged into the indexes sorted, in batches of
// gin_pending_list_limit (4 MB by default; 200,000 documents: 37.6 s one
// by one, 4.0 s this way) — and the returned function turns it off again
// and merges what is left, so searches go back to reading the indexes
// alone. Changing the setting locks neither reads nor writes (SHARE UPDATE
// EXCLUSIVE); searches during the import may read a list of up to 4 MB.
func ginPendingLists(ctx context.Context, db *store.DB) (func(), error) {
	set := func(ctx context.Context, on bool) error {
		return db.Write(ctx, func(tx *store.Tx) error {
			for _, ix := range searchGINIndexes {
				// Instance-wide on purpose: the indexes hold every workspace.
				if _, err := tx.Unscoped().Exec(`ALTER INDEX ` + ix + ` SET (fastupdate = ` + map[bool]string{true: "on", false: "off"}[on] + `)`); err != nil {
					return errf("search index setting: %w", err)
				}
			}
			if on {
				return nil
			}
			for _, ix := range searchGINIndexes {
				if _, err := tx.Unscoped().Exec(`SELECT gin_clean_pending_list(?::regclass)`, ix); err != nil {
					return errf("search index pending list: %w", err)
				}
			}
			return nil
		})
	}
	if err := set(ctx, true); err != nil {
		return nil, err
	}
	return func() {
		if err := set(context.WithoutCancel(ctx), false); err != nil {
			db.Logger().Error("import: search index pending list left on", "err", err)
		}
	}, nil
}

// ftsMergesDeferred is SQLite's counterpart of ginPendingLists. FTS5 keeps
// its index as segments and, by default, merges a level as soon as it holds
// four (automerge = 4): a big import's documents are then rewritten again
// and again as levels fill (46% of the document phase of a 200,000-row
// import, CPU profile). With automerge off while an import writes its
// documents, levels grow to FTS5's crisis-merge threshold (16 segments)
// before they are merged, so each document is rewritten fewer times
// (500,000 documents in isolation: 15.0 → 10.1 s); the returned function
// turns automerge on again, and later writes merge what is left a little at
// a time. The setting belongs to the table (every workspace's documents)
// and is kept in search_index_config, so a crash in between leaves it off
// until the import resumes and finishes: searches stay right, only
// unmerged.
func ftsMergesDeferred(ctx context.Context, db *store.DB) (func(), error) {
	set := func(ctx context.Context, n int) error {
		return db.Write(ctx, func(tx *store.Tx) error {
			// Instance-wide on purpose: the index holds every workspace.
			if _, err := tx.Unscoped().Exec(`INSERT INTO search_index (search_index, rank) VALUES ('automerge', ?)`, n); err != nil {
				return errf("search index setting: %w", err)
			}
			return nil
		})
	}
	if err := set(ctx, 0); err != nil {
		return nil, err
	}
	return func() {
		if err := set(context.WithoutCancel(ctx), ftsAutomerge); err != nil {
			db.Logger().Error("import: search index merges left off", "err", err)
		}
	}, nil
}

// ftsAutomerge is FTS5's default automerge, which searches are tuned for.
const ftsAutomerge = 4
