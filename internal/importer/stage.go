package importer

import (
	"context"
	"slices"
	"strings"
	"sync"

	"github.com/jackc/pgx/v5"

	"github.com/tandemcrm/tandem/internal/store"
)

// The contacts an import creates go first to a staging table (migration
// 00030), batch by batch with the checkpoints; after the last row one
// statement moves them into contacts. Written row by row into contacts,
// every new contact cost ten random B-tree inserts (contacts carries ten
// indexes), and with more rows than the page cache holds each batch rewrote
// most index pages: at a million rows that was most of the import's time.
// The staging table has no secondary index, so a batch is an append.
//
// While an import runs its new contacts are not visible; a cancelled or
// failed import merges what it staged, so "what was committed stays" holds
// as before, and a crashed one keeps its staged rows for the resumed run.

const stageTable = "import_stage_contacts"

// stager is implemented by kinds whose batches stage the records they
// create; execution calls mergeStage after the last row, and when an import
// stops early (cancel, failure), in transactions of its own.
type stager interface {
	mergeStage(ctx context.Context, db *store.DB, r *Run) error
}

// Rebuilding the indexes sorts every row of contacts (all workspaces) once
// per index; inserting into them costs per staged row, but several times
// more. Rebuild when the import brings at least rebuildMinRows contacts and
// at least a quarter of what the table will hold. rebuildMinRows is also
// where an import counts as big elsewhere: PostgreSQL merges it in ranges
// (mergeInChunks), and both databases defer the search index's merges while
// its documents are written (searchMergesDeferred).
var rebuildMinRows = 50_000

// inOrder are the contacts indexes a merge (in id order) fills in their
// own order, appending: (workspace, id), and (workspace, updated_at, id)
// with the import's one updated_at. They are kept; rebuilding them would
// cost a scan and a sort each. Indexes not named here are rebuilt — also
// (workspace, owner, created_at, id): most exports carry a creation date
// and an owner per row, and a million of them put into it one by one cost
// the merge 8 s more than building it again (29.0 → 20.7 s,
// docs/BENCHMARKS.md).
var inOrder = map[string]bool{"contacts_recent": true, "contacts_updated_id": true}

func (Contacts) mergeStage(ctx context.Context, db *store.DB, r *Run) error {
	var staged, total int
	// On the writer, which the merge takes next anyway: the read-only
	// connections map the file, and counting every contact through them
	// would add the whole index to the import's resident memory.
	err := db.Write(ctx, func(tx *store.Tx) error {
		err := tx.QueryRow(`SELECT count(*) FROM `+stageTable+` WHERE workspace_id = ? AND import_id = ?`, r.WorkspaceID, r.ID).Scan(&staged)
		if err != nil || staged < rebuildMinRows || tx.Dialect() != store.SQLite {
			return err
		}
		// Instance-wide on purpose: the indexes cover every workspace.
		return tx.Unscoped().QueryRow(`SELECT count(*) FROM contacts`).Scan(&total)
	})
	if err != nil || staged == 0 {
		return err
	}
	if db.Dialect() == store.Postgres && staged >= rebuildMinRows {
		return mergeInChunks(ctx, db, r)
	}
	rebuild := db.Dialect() == store.SQLite && staged >= rebuildMinRows && staged*4 >= total+staged
	if rebuild {
		// The index sorts spill to temporary files; in memory (the import's
		// setting, for statement journals) they would hold a copy of every
		// index at once.
		if _, err := db.SQLDB().ExecContext(ctx, `PRAGMA temp_store = FILE`); err != nil {
			return errf("temp store: %w", err)
		}
		defer db.SQLDB().ExecContext(context.WithoutCancel(ctx), `PRAGMA temp_store = MEMORY`) //nolint:errcheck // a setting
		// And with two helper threads: a sort's runs are sorted and merged
		// on the other core while the table is read. The six indexes a
		// merge rebuilds, for 900,273 contacts: 10.8–10.9 s on one thread,
		// 7.0–7.6 s with helpers (go run ./bench/cmd/ixexp -rounds 2).
		if _, err := db.SQLDB().ExecContext(ctx, `PRAGMA threads = 2`); err != nil {
			return errf("sorter threads: %w", err)
		}
		defer db.SQLDB().ExecContext(context.WithoutCancel(ctx), `PRAGMA threads = 0`) //nolint:errcheck // a setting
	}
	return db.Write(ctx, func(tx *store.Tx) error { return moveStaged(tx, r, rebuild) })
}

// moveStaged moves import r's staged contacts into contacts, in id order,
// and empties its part of the staging table. With rebuild (SQLite) the
// secondary indexes of contacts are dropped first and created again after:
// all in this one transaction, so readers keep seeing the old table with
// its indexes until the commit, and a crash leaves everything as it was.
func moveStaged(tx *store.Tx, r *Run, rebuild bool) error {
	u := tx.Unscoped()
	var indexes [][2]string
	if rebuild {
		rows, err := u.Query(`SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = 'contacts' AND sql IS NOT NULL`)
		if err != nil {
			return errf("contacts indexes: %w", err)
		}
		for rows.Next() {
			var name, sql string
			if err := rows.Scan(&name, &sql); err != nil {
				rows.Close()
				return err
			}
			indexes = append(indexes, [2]string{name, sql})
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		indexes = slices.DeleteFunc(indexes, func(ix [2]string) bool { return inOrder[ix[0]] })
		for _, ix := range indexes {
			if _, err := u.Exec(`DROP INDEX ` + ix[0]); err != nil {
				return errf("drop index %s: %w", ix[0], err)
			}
		}
	}
	if _, err := tx.Exec(mergeSQL(tx, ""), r.WorkspaceID, r.ID); err != nil {
		return errf("merge staged contacts: %w", err)
	}
	for _, ix := range indexes {
		if _, err := u.Exec(ix[1]); err != nil {
			return errf("create index %s: %w", ix[0], err)
		}
	}
	if rebuild {
		// Fresh statistics for the planner (dropping an index drops its
		// statistics); a sample per index keeps this cheap.
		for _, q := range []string{`PRAGMA analysis_limit = 1000`, `ANALYZE contacts`} {
			if _, err := u.Exec(q); err != nil {
				return errf("analyze: %w", err)
			}
		}
	}
	return clearStaged(tx, r)
}

// mergeSQL moves import r's staged contacts (workspace and import the
// first two arguments; and is more conditions on the staged rows) into
// contacts, in id order.
func mergeSQL(tx *store.Tx, and string) string {
	cols := strings.Join(contactAllCols, ", ")
	sel, verb := cols, "INSERT"
	if tx.Dialect() == store.Postgres {
		sel = strings.NewReplacer("emails", "emails::jsonb", "phones", "phones::jsonb", "tags", "tags::jsonb", "custom", "custom::jsonb").Replace(cols)
	} else {
		// OR FAIL: no statement journal (ids are unique by construction;
		// a clash still stops the statement).
		verb = "INSERT OR FAIL"
	}
	return verb + ` INTO contacts (` + cols + `) SELECT ` + sel + ` FROM ` + stageTable + `
		WHERE workspace_id = ? AND import_id = ?` + and + ` ORDER BY id`
}

// mergeChunks and mergeWorkers shape a big merge on PostgreSQL: the staged
// contacts are cut into mergeChunks ranges of ids, and mergeWorkers
// connections move one range each at a time, each range in its own
// transaction with the removal of its staged rows. Every new contact costs
// an insertion into each of the eleven indexes of contacts, which one
// PostgreSQL backend does one after another on one core: 900,000 contacts
// took 34–56 s in one statement and 21–27 s in two halves at once (two
// cores; two runs of bench/pg-parallel.sh).
// PostgreSQL cannot drop and rebuild the indexes as SQLite does without
// locking out every reader of contacts. A crash between ranges leaves the
// rest staged, and the resumed import moves it; until the last range is
// in, the import's new contacts appear range by range.
const (
	mergeChunks  = 8
	mergeWorkers = 2
)

// mergeRangeDone, when set (tests), is called after each range a chunked
// merge committed, from the worker that did.
var mergeRangeDone func()

// mergeInChunks moves import r's staged contacts in ranges of ids, on
// mergeWorkers connections at once (PostgreSQL).
func mergeInChunks(ctx context.Context, db *store.DB, r *Run) error {
	var bounds []int64
	err := db.Read(ctx, func(tx *store.Tx) error {
		rows, err := tx.Query(`SELECT max(id) FROM (SELECT id, ntile(?) OVER (ORDER BY id) AS part FROM `+stageTable+`
			WHERE workspace_id = ? AND import_id = ?) s GROUP BY part ORDER BY 1`, mergeChunks, r.WorkspaceID, r.ID)
		if err != nil {
			return errf("staged contacts: %w", err)
		}
		defer rows.Close()
		for rows.Next() {
			var hi int64
			if err := rows.Scan(&hi); err != nil {
				return err
			}
			bounds = append(bounds, hi)
		}
		return rows.Err()
	})
	if err != nil {
		return err
	}
	ranges := make(chan [2]int64, len(bounds))
	lo := int64(0)
	for _, hi := range bounds {
		ranges <- [2]int64{lo, hi}
		lo = hi
	}
	close(ranges)
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	var (
		wg    sync.WaitGroup
		once  sync.Once
		first error
	)
	for range mergeWorkers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for rg := range ranges {
				err := db.Write(ctx, func(tx *store.Tx) error {
					if _, err := tx.Exec(mergeSQL(tx, ` AND id > ? AND id <= ?`), r.WorkspaceID, r.ID, rg[0], rg[1]); err != nil {
						return errf("merge staged contacts: %w", err)
					}
					_, err := tx.Exec(`DELETE FROM `+stageTable+` WHERE workspace_id = ? AND import_id = ? AND id > ? AND id <= ?`,
						r.WorkspaceID, r.ID, rg[0], rg[1])
					if err != nil {
						return errf("clear staged contacts: %w", err)
					}
					return nil
				})
				if err != nil {
					once.Do(func() { first = err; cancel() })
					return
				}
				if mergeRangeDone != nil {
					mergeRangeDone()
				}
			}
		}()
	}
	wg.Wait()
	return first
}

// clearStaged removes import r's rows from the staging table. On SQLite,
// when no other import has rows there (the usual case), the whole table is
// emptied: SQLite then frees its pages at once instead of deleting a
// million rows one by one (no other writer can add rows meanwhile, which
// PostgreSQL could not promise).
func clearStaged(tx *store.Tx, r *Run) error {
	u := tx.Unscoped() // instance-wide on purpose: the table is shared
	others := 1
	if tx.Dialect() == store.SQLite {
		err := u.QueryRow(`SELECT count(*) FROM (SELECT 1 FROM `+stageTable+` WHERE import_id <> ? LIMIT 1) o`, r.ID).Scan(&others)
		if err != nil {
			return errf("staged contacts: %w", err)
		}
	}
	var err error
	if others == 0 {
		_, err = u.Exec(`DELETE FROM ` + stageTable)
	} else {
		_, err = tx.Exec(`DELETE FROM `+stageTable+` WHERE workspace_id = ? AND import_id = ?`, r.WorkspaceID, r.ID)
	}
	if err != nil {
		return errf("clear staged contacts: %w", err)
	}
	return nil
}

// stagedKeys adds the match keys of the contacts import r staged before a
// restart to keys (they are its own: no before-image when updated).
func stagedKeys(tx *store.Tx, r *Run, col string, keys *keySet) error {
	rows, err := tx.Query(`SELECT `+col+`, id, owner_id FROM `+stageTable+`
		WHERE workspace_id = ? AND import_id = ? AND `+col+` <> '' ORDER BY id`, r.WorkspaceID, r.ID)
	if err != nil {
		return errf("load staged contacts: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var k string
		e := entry{mine: true}
		if err := rows.Scan(&k, &e.id, &e.owner); err != nil {
			return err
		}
		keys.add(k, e)
	}
	return rows.Err()
}

// copyRows writes rows with COPY (PostgreSQL), in the caller's transaction.
func copyRows(tx *store.Tx, table string, cols []string, rows [][]any) error {
	if _, err := tx.PgxTx().CopyFrom(tx.Context(), pgx.Identifier{table}, cols, pgx.CopyFromRows(rows)); err != nil {
		return errf("copy into %s: %w", table, err)
	}
	return nil
}
