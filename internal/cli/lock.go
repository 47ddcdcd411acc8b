package cli

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"syscall"

	"github.com/tandemcrm/tandem/internal/config"
	"github.com/tandemcrm/tandem/internal/store"
)

// The data-directory lock keeps `tandem restore` from swapping the SQLite
// file under a running server. Servers (and backup, seed) hold a SHARED
// flock on tandem.lock next to the database, so several `tandem serve`
// processes may share one file, which SQLite supports; restore needs the
// EXCLUSIVE lock and gives up at once when anyone holds it. flock locks are
// released by the kernel when the process dies, so a crash never leaves a
// stale lock behind.

// lockFileName sits in the directory of the SQLite file, which is the data
// directory unless DATABASE_URL points elsewhere.
const lockFileName = "tandem.lock"

var errDirInUse = errors.New("stop tandem serve before restoring (the data directory is in use)")

// dirLock is a held flock; Unlock releases it.
type dirLock struct{ f *os.File }

// Unlock releases the lock. It is safe on a nil lock (PostgreSQL takes none).
func (l *dirLock) Unlock() error {
	if l == nil || l.f == nil {
		return nil
	}
	return l.f.Close() // closing the descriptor drops the flock
}

// lockPath is where the lock of the configured SQLite database lives, or ""
// on PostgreSQL, where there is no file to protect.
func lockPath(c config.Config) (string, error) {
	kind, target, err := store.ParseURL(c.DatabaseURL, c.DataDir)
	if err != nil || kind == store.Postgres {
		return "", err
	}
	return filepath.Join(filepath.Dir(target), lockFileName), nil
}

// lockShared takes the shared lock for a process that uses the database
// (serve, backup, seed). It fails only while a restore holds it.
func lockShared(c config.Config) (*dirLock, error) {
	l, err := takeLock(c, syscall.LOCK_SH)
	if errors.Is(err, syscall.EWOULDBLOCK) {
		return nil, errors.New("a restore is replacing the database right now; try again when it has finished")
	}
	return l, err
}

// lockExclusive takes the lock that only restore needs.
func lockExclusive(c config.Config) (*dirLock, error) {
	l, err := takeLock(c, syscall.LOCK_EX)
	if errors.Is(err, syscall.EWOULDBLOCK) {
		return nil, errDirInUse
	}
	return l, err
}

func takeLock(c config.Config, how int) (*dirLock, error) {
	path, err := lockPath(c)
	if err != nil || path == "" {
		return nil, err
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o750); err != nil {
		return nil, fmt.Errorf("lock file %s: %w", path, err)
	}
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o640)
	if err != nil {
		return nil, fmt.Errorf("lock file %s: %w", path, err)
	}
	if err := syscall.Flock(int(f.Fd()), how|syscall.LOCK_NB); err != nil {
		f.Close()
		if errors.Is(err, syscall.EWOULDBLOCK) {
			return nil, err
		}
		return nil, fmt.Errorf("lock %s: %w", path, err)
	}
	return &dirLock{f: f}, nil
}
