package store_test

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/tandemcrm/tandem/internal/store"
	"github.com/tandemcrm/tandem/internal/store/testdb"
)

// TestReadStatementsCached: SQLite read transactions run prepared
// statements from the cache — right answers for any arguments, a bounded
// cache past its size, a statement that follows a schema change, and no
// deadlock when more transactions than connections prepare at once (each
// preparation takes a connection besides the transaction's own).
func TestReadStatementsCached(t *testing.T) {
	db := testdb.NewSQLite(t, testdb.Options{})
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	read := func(q string, args ...any) (int, error) {
		var n int
		err := db.Read(ctx, func(tx *store.Tx) error { return tx.Unscoped().QueryRow(q, args...).Scan(&n) })
		return n, err
	}
	for i := range 3 {
		if n, err := read(`SELECT ? * 2`, i); err != nil || n != i*2 {
			t.Fatalf("cached statement, argument %d: %d %v", i, n, err)
		}
	}
	if got := db.CachedStatements(); got != 1 {
		t.Fatalf("one text, %d cached statements", got)
	}

	// Many transactions at once, each preparing a new text.
	var wg sync.WaitGroup
	errs := make(chan error, 64)
	for i := range 64 {
		wg.Go(func() {
			err := db.Read(ctx, func(tx *store.Tx) error {
				time.Sleep(5 * time.Millisecond) // hold the connection while others prepare
				var n int
				if err := tx.Unscoped().QueryRow(fmt.Sprintf(`SELECT %d + ?`, i), 1).Scan(&n); err != nil {
					return err
				}
				if n != i+1 {
					return fmt.Errorf("statement %d answered %d", i, n)
				}
				return nil
			})
			errs <- err
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}

	// Past the bound, the least recently used go.
	for i := range store.StmtCacheSize + 10 {
		if n, err := read(fmt.Sprintf(`SELECT %d`, i)); err != nil || n != i {
			t.Fatalf("statement %d: %d %v", i, n, err)
		}
	}
	if got := db.CachedStatements(); got != store.StmtCacheSize {
		t.Fatalf("cache holds %d statements, bound %d", got, store.StmtCacheSize)
	}

	// A cached statement over a table that changes shape.
	err := db.Write(ctx, func(tx *store.Tx) error {
		_, err := tx.Unscoped().Exec(`CREATE TABLE cache_probe (a INTEGER)`)
		if err == nil {
			_, err = tx.Unscoped().Exec(`INSERT INTO cache_probe (a) VALUES (1)`)
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	if n, err := read(`SELECT count(*) FROM cache_probe WHERE a = 1`); err != nil || n != 1 {
		t.Fatalf("before the change: %d %v", n, err)
	}
	err = db.Write(ctx, func(tx *store.Tx) error {
		if _, err := tx.Unscoped().Exec(`CREATE INDEX cache_probe_a ON cache_probe (a)`); err != nil {
			return err
		}
		_, err := tx.Unscoped().Exec(`INSERT INTO cache_probe (a) VALUES (1)`)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	if n, err := read(`SELECT count(*) FROM cache_probe WHERE a = 1`); err != nil || n != 2 {
		t.Fatalf("after the change: %d %v", n, err)
	}
}
