package store

import (
	"context"
	"fmt"
)

// Query planners choose indexes from table statistics. Without them SQLite
// guesses, and a list filtered on one column and sorted on another (a
// company's people by name) walks the whole sort index instead of the
// handful of matching rows. Tandem keeps statistics current:
//
//   - Analyze after bulk loads (seeding, imports): a full refresh.
//   - Optimize at start and hourly: SQLite re-analyses only the tables that
//     changed a lot since (PRAGMA optimize, bounded by analysis_limit);
//     PostgreSQL's autovacuum already does this, so it is a no-op there.

// Analyze refreshes every table's statistics.
func (db *DB) Analyze(ctx context.Context) error {
	return db.Write(ctx, func(tx *Tx) error {
		if _, err := tx.Unscoped().Exec(`ANALYZE`); err != nil {
			return fmt.Errorf("store: analyze: %w", err)
		}
		return nil
	})
}

// Optimize refreshes the statistics that are missing or stale (SQLite).
func (db *DB) Optimize(ctx context.Context) error {
	if db.dialect != SQLite {
		return nil
	}
	return db.Write(ctx, func(tx *Tx) error {
		// 0x10002: also analyse tables that were never analysed; the limit
		// keeps each table's analysis to a sample, so this stays cheap at a
		// million rows.
		for _, q := range []string{`PRAGMA analysis_limit = 1000`, `PRAGMA optimize = 0x10002`} {
			if _, err := tx.Unscoped().Exec(q); err != nil {
				return fmt.Errorf("store: optimize: %w", err)
			}
		}
		return nil
	})
}
