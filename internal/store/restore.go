package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"path/filepath"
)

// RestoreSQLite replaces the SQLite database at dbPath with the backup file.
// The caller must make sure no process uses dbPath (the data-directory lock).
//
// The order matters for safety: the backup is first copied next to dbPath and
// fsynced; the current database is kept as dbPath.before-restore-STAMP (by
// VACUUM INTO, so it is consistent), then checkpointed so its -wal is empty
// and closed; its -wal and -shm are removed — a leftover -wal would be
// replayed onto the restored file and corrupt it — and only then is the copy
// renamed over dbPath. A crash at any point leaves either the old database or
// the new one in place, never a mix.
//
// It returns where the previous database was kept ("" when there was none).
func RestoreSQLite(ctx context.Context, dbPath, backup, stamp string) (string, error) {
	if _, err := InspectSQLiteBackup(ctx, backup); err != nil {
		return "", err
	}
	if same(dbPath, backup) {
		return "", fmt.Errorf("%s is the live database itself; restore from a backup file", backup)
	}
	dir := filepath.Dir(dbPath)
	tmp, err := copyFile(backup, dir, "."+filepath.Base(dbPath)+".restore-*")
	if err != nil {
		return "", err
	}
	defer os.Remove(tmp) // a no-op once renamed
	kept := ""
	if _, err := os.Stat(dbPath); err == nil {
		kept = dbPath + ".before-restore-" + stamp
		if err := retire(ctx, dbPath, kept); err != nil {
			return "", err
		}
	} else if !errors.Is(err, os.ErrNotExist) {
		return "", err
	}
	for _, suffix := range []string{"-wal", "-shm"} {
		if err := os.Remove(dbPath + suffix); err != nil && !errors.Is(err, os.ErrNotExist) {
			return kept, fmt.Errorf("store: remove %s: %w", dbPath+suffix, err)
		}
	}
	if err := os.Rename(tmp, dbPath); err != nil {
		return kept, fmt.Errorf("store: move restored database into place: %w", err)
	}
	return kept, syncDir(dir)
}

// retire keeps a consistent copy of the current database at kept and leaves
// the live file checkpointed (empty -wal) and closed.
func retire(ctx context.Context, dbPath, kept string) error {
	conn, err := sql.Open("sqlite", sqliteDSN(dbPath, true))
	if err != nil {
		return err
	}
	defer conn.Close()
	conn.SetMaxOpenConns(1)
	if err := vacuumInto(ctx, conn, kept); err != nil {
		return fmt.Errorf("keep the current database: %w", err)
	}
	if err := syncFile(kept); err != nil {
		return err
	}
	var busy, logFrames, checkpointed int
	if err := conn.QueryRowContext(ctx, `PRAGMA wal_checkpoint(TRUNCATE)`).Scan(&busy, &logFrames, &checkpointed); err != nil {
		return fmt.Errorf("store: checkpoint %s: %w", dbPath, err)
	}
	if busy != 0 {
		return fmt.Errorf("store: %s is still in use by another process; stop it and retry", dbPath)
	}
	return conn.Close()
}

func same(a, b string) bool {
	sa, err1 := os.Stat(a)
	sb, err2 := os.Stat(b)
	return err1 == nil && err2 == nil && os.SameFile(sa, sb)
}
