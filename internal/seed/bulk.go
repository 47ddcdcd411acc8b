package seed

import (
	"context"
	"fmt"
	"strings"

	"github.com/tandemcrm/tandem/internal/store"
)

// table is where a bulk insert goes.
type table struct {
	name string
	cols []string
}

// insertAll writes n rows, row(i) for i = 0..n-1 in order, as multi-row
// INSERTs of batch rows each, committing every txRows rows. One statement per
// row would spend nearly all the time on round trips; one giant transaction
// would grow SQLite's -wal file without bound on the large sizes.
func insertAll(ctx context.Context, db *store.DB, t table, n, batch, txRows int, row func(tx *store.Tx, i int) []any) error {
	full := insertSQL(t, batch)
	for start := 0; start < n; start += txRows {
		end := min(n, start+txRows)
		err := db.Write(ctx, func(tx *store.Tx) error {
			args := make([]any, 0, batch*len(t.cols))
			rows := 0
			flush := func(q string) error {
				if _, err := tx.Exec(q, args...); err != nil {
					return fmt.Errorf("seed: insert into %s: %w", t.name, err)
				}
				args, rows = args[:0], 0
				return nil
			}
			for i := start; i < end; i++ {
				args = append(args, row(tx, i)...)
				if rows++; rows == batch {
					if err := flush(full); err != nil {
						return err
					}
				}
			}
			if rows > 0 {
				return flush(insertSQL(t, rows))
			}
			return nil
		})
		if err != nil {
			return err
		}
		if err := ctx.Err(); err != nil {
			return err
		}
	}
	return nil
}

// insertSQL is "INSERT INTO t (a, b) VALUES (?, ?), (?, ?)…" for rows rows.
func insertSQL(t table, rows int) string {
	one := "(" + strings.TrimSuffix(strings.Repeat("?, ", len(t.cols)), ", ") + ")"
	var b strings.Builder
	b.Grow(len(t.name) + 64 + rows*(len(one)+2))
	b.WriteString("INSERT INTO " + t.name + " (" + strings.Join(t.cols, ", ") + ") VALUES ")
	for i := range rows {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(one)
	}
	return b.String()
}
