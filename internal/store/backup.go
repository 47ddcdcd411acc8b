package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
)

// Backups of the SQLite database are made with VACUUM INTO, never by copying
// the live file: a copy taken while a writer is active (or with committed
// pages still in the -wal file) can be torn or stale. VACUUM INTO reads one
// consistent snapshot inside a read transaction, so in WAL mode it neither
// blocks writers nor sees half of a transaction.

// ErrNotSQLite is returned by SQLite-only operations on PostgreSQL.
var ErrNotSQLite = errors.New("store: this operation needs a SQLite database")

// BackupTo writes a consistent copy of the SQLite database to path and
// returns its size in bytes. The copy is written to a temporary file next to
// path and moved into place only when complete, so a failed or interrupted
// backup never leaves a half-written file under the final name. Without
// overwrite an existing path is an error (fs.ErrExist).
func (db *DB) BackupTo(ctx context.Context, path string, overwrite bool) (int64, error) {
	if db.dialect != SQLite {
		return 0, ErrNotSQLite
	}
	if !overwrite {
		if _, err := os.Lstat(path); err == nil {
			return 0, fmt.Errorf("store: backup %s: %w", path, fs.ErrExist)
		}
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".tmp-*")
	if err != nil {
		return 0, fmt.Errorf("store: backup: %w", err)
	}
	tmp.Close() // VACUUM INTO accepts an existing empty file
	defer os.Remove(tmp.Name())
	// The reader pool is query_only, which refuses VACUUM INTO, and the
	// writer would hold up every write for the whole copy: use a connection
	// of its own, which only takes a read snapshot.
	conn, err := sql.Open("sqlite", "file:"+db.path+"?_pragma=busy_timeout(10000)")
	if err != nil {
		return 0, err
	}
	defer conn.Close()
	if err := vacuumInto(ctx, conn, tmp.Name()); err != nil {
		return 0, err
	}
	if err := syncFile(tmp.Name()); err != nil {
		return 0, err
	}
	if overwrite {
		err = os.Rename(tmp.Name(), path)
	} else {
		err = os.Link(tmp.Name(), path) // fails if path appeared meanwhile
	}
	if err != nil {
		return 0, fmt.Errorf("store: backup %s: %w", path, err)
	}
	if err := syncDir(filepath.Dir(path)); err != nil {
		return 0, err
	}
	st, err := os.Stat(path)
	if err != nil {
		return 0, err
	}
	return st.Size(), nil
}

// vacuumInto runs VACUUM INTO on a connection of pool.
func vacuumInto(ctx context.Context, pool *sql.DB, dest string) error {
	if _, err := pool.ExecContext(ctx, `VACUUM INTO ?`, dest); err != nil {
		return fmt.Errorf("store: VACUUM INTO %s: %w", dest, err)
	}
	return nil
}

// BackupInfo describes a file offered to RestoreSQLite.
type BackupInfo struct {
	Version int64 // highest applied Tandem migration in the file
	Latest  int64 // highest migration this binary knows
	Size    int64
}

// InspectSQLiteBackup checks that path is a sound Tandem SQLite database
// whose schema this binary can run: it passes PRAGMA integrity_check, has
// goose's version table, and is not newer than our migrations. The file is
// opened read-only and immutable, so inspecting changes nothing on disk.
func InspectSQLiteBackup(ctx context.Context, path string) (BackupInfo, error) {
	var info BackupInfo
	st, err := os.Stat(path)
	if err != nil {
		return info, fmt.Errorf("backup file: %w", err)
	}
	if !st.Mode().IsRegular() {
		return info, fmt.Errorf("backup file %s is not a regular file", path)
	}
	info.Size = st.Size()
	conn, err := sql.Open("sqlite", "file:"+path+"?mode=ro&immutable=1")
	if err != nil {
		return info, err
	}
	defer conn.Close()
	var check string
	if err := conn.QueryRowContext(ctx, `PRAGMA integrity_check`).Scan(&check); err != nil {
		return info, fmt.Errorf("%s is not a SQLite database: %w", path, err)
	}
	if check != "ok" {
		return info, fmt.Errorf("%s is damaged (integrity_check: %s)", path, check)
	}
	var n int
	err = conn.QueryRowContext(ctx, `SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'goose_db_version'`).Scan(&n)
	if err != nil || n == 0 {
		return info, fmt.Errorf("%s is a SQLite database but not a Tandem one (no migration table)", path)
	}
	if err := conn.QueryRowContext(ctx, `SELECT COALESCE(MAX(version_id), 0) FROM goose_db_version WHERE is_applied`).Scan(&info.Version); err != nil {
		return info, fmt.Errorf("%s: read schema version: %w", path, err)
	}
	info.Latest = LatestMigration(SQLite)
	if info.Version > info.Latest {
		return info, fmt.Errorf("%s has schema version %d, newer than this tandem binary (%d): restore it with a newer tandem", path, info.Version, info.Latest)
	}
	return info, nil
}

// LatestMigration is the highest migration version embedded for dialect d.
func LatestMigration(d Dialect) int64 {
	entries, _ := fs.ReadDir(Migrations(d), ".")
	var latest int64
	for _, e := range entries {
		num, _, _ := strings.Cut(e.Name(), "_")
		if v, err := strconv.ParseInt(num, 10, 64); err == nil && v > latest {
			latest = v
		}
	}
	return latest
}

func syncFile(path string) error {
	f, err := os.OpenFile(path, os.O_RDWR, 0)
	if err != nil {
		return err
	}
	defer f.Close()
	if err := f.Sync(); err != nil {
		return fmt.Errorf("store: fsync %s: %w", path, err)
	}
	return nil
}

// syncDir makes a rename in dir durable.
func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer d.Close()
	if err := d.Sync(); err != nil {
		return fmt.Errorf("store: fsync %s: %w", dir, err)
	}
	return nil
}

// copyFile copies src to a new temporary file in dir and fsyncs it.
func copyFile(src, dir, pattern string) (string, error) {
	in, err := os.Open(src)
	if err != nil {
		return "", err
	}
	defer in.Close()
	out, err := os.CreateTemp(dir, pattern)
	if err != nil {
		return "", err
	}
	_, err = io.Copy(out, in)
	if err == nil {
		err = out.Sync()
	}
	if cerr := out.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		os.Remove(out.Name())
		return "", fmt.Errorf("store: copy %s: %w", src, err)
	}
	return out.Name(), nil
}
