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
	per := 1
	if ex.imp.RowsDone >= rebuildMinRows {
		restore, err := searchMergesDeferred(ctx, ex.db)
		if err != nil {
			return err
		}
		defer restore()
		// PostgreSQL writes a big import's documents two chunks at a time,
		// on two connections: each backend merges its own share of the
		// trigram indexes' pending lists (1M documents in chunks of 25,000:
		// 28–40 s one chunk at a time, 18–23 s two at once; two runs of
		// bench/pg-parallel.sh).
		if ex.db.Dialect() == store.Postgres {
			per = indexParallel
		}
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

// searchMergesDeferred lets a big import write its search documents
// without merging each into the index at once, and the returned function
// merges as searches expect again. The settings belong to the index, which
// holds every workspace; a crash in between leaves them as set until the
// import resumes and finishes: searches stay right, only unmerged.
//
//   - PostgreSQL: the trigram indexes' pending lists are turned on
//     (fastupdate), so documents are merged into the indexes sorted, in
//     batches of gin_pending_list_limit (4 MB by default; 200,000
//     documents: 37.6 s one by one, 4.0 s this way, bench/gin-pending.sql);
//     after, they are turned off and what is left is merged
//     (gin_clean_pending_list). Changing the setting locks neither reads
//     nor writes (SHARE UPDATE EXCLUSIVE); searches meanwhile may read a
//     list of up to 4 MB.
//   - SQLite: FTS5 keeps its index as segments and by default merges a
//     level as soon as it holds four (automerge = 4), so a big import's
//     documents were rewritten again and again as levels filled (46% of
//     the document phase of a 200,000-row import, CPU profile,
//     docs/BENCHMARKS.md). With automerge off, levels grow to FTS5's
//     crisis-merge threshold (16 segments) before they merge; after, it is
//     4 again and later writes merge what is left a little at a time.
//     The hashsize (pending postings kept in memory before they are
//     written as a segment) goes from 1 MB to 32 MB meanwhile: a chunk of
//     25,000 trigram documents made six level-0 segments, and crisis merges
//     of them were 40% of the phase's CPU at 1M rows (CPU profile). 1M rows:
//     documents 92 s with 1 MB, 77–80 s with 32 MB (docs/BENCHMARKS.md);
//     the pending postings add up to 32 MB to the writer's memory.
func searchMergesDeferred(ctx context.Context, db *store.DB) (func(), error) {
	set := func(ctx context.Context, deferred bool) error {
		return db.Write(ctx, func(tx *store.Tx) error {
			// Instance-wide on purpose: the index holds every workspace.
			u := tx.Unscoped()
			if tx.Dialect() == store.SQLite {
				automerge, hashsize := ftsAutomerge, ftsHashSize
				if deferred {
					automerge, hashsize = 0, importHashSize
				}
				if _, err := u.Exec(`INSERT INTO search_index_fts (search_index_fts, rank) VALUES ('automerge', ?)`, automerge); err != nil {
					return err
				}
				_, err := u.Exec(`INSERT INTO search_index_fts (search_index_fts, rank) VALUES ('hashsize', ?)`, hashsize)
				return err
			}
			for _, ix := range searchGINIndexes {
				if _, err := u.Exec(`ALTER INDEX ` + ix + ` SET (fastupdate = ` + map[bool]string{true: "on", false: "off"}[deferred] + `)`); err != nil {
					return err
				}
			}
			if deferred {
				return nil
			}
			for _, ix := range searchGINIndexes {
				if _, err := u.Exec(`SELECT gin_clean_pending_list(?::regclass)`, ix); err != nil {
					return err
				}
			}
			return nil
		})
	}
	if err := set(ctx, true); err != nil {
		return nil, errf("search index setting: %w", err)
	}
	return func() {
		if err := set(context.WithoutCancel(ctx), false); err != nil {
			db.Logger().Error("import: search index merges left deferred", "err", err)
		}
	}, nil
}

// ftsAutomerge is FTS5's default automerge, which searches are tuned for.
const ftsAutomerge = 4

// ftsHashSize is FTS5's default hashsize: the bytes of pending postings a
// writer keeps in memory before it writes them as a new segment.
const ftsHashSize = 1 << 20

// importHashSize is FTS5's hashsize while a big import writes documents.
const importHashSize = 32 << 20
