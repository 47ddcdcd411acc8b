package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"syscall"

	"github.com/tandemcrm/tandem/internal/account"
	"github.com/tandemcrm/tandem/internal/config"
	"github.com/tandemcrm/tandem/internal/store"
)

// Disk-space thresholds of the data directory: SQLite needs room for its
// -wal file and for VACUUM INTO backups, and uploads land there too.
const (
	diskWarn = 1 << 30   // 1 GiB
	diskFail = 100 << 20 // 100 MiB
)

// doctor prints one line per check, "ok", "warn" or "FAIL", each with what
// was found and what to do about it, and counts the failures.
type doctor struct {
	w     io.Writer
	fails int
}

func (d *doctor) ok(check, detail string) { fmt.Fprintf(d.w, "ok    %s: %s\n", check, detail) }
func (d *doctor) warn(check, detail string) {
	fmt.Fprintf(d.w, "warn  %s: %s\n", check, flatten(detail))
}

// flatten keeps a check on one line: driver errors (pgx) span several.
func flatten(s string) string {
	return strings.Join(strings.Fields(s), " ")
}
func (d *doctor) fail(check, detail string) {
	d.fails++
	fmt.Fprintf(d.w, "FAIL  %s: %s\n", check, flatten(detail))
}

func runDoctor(ctx context.Context, env Env, args []string) error {
	fs := flags(env, "doctor", "doctor [--data-dir DIR] [--config FILE]")
	c, err := config.Load(fs, args, env.Getenv)
	if errors.Is(err, flag.ErrHelp) {
		return err
	}
	if err != nil && !fs.Parsed() {
		return errUsage // the flag package has printed what was wrong
	}
	d := &doctor{w: env.Stdout}
	d.checkConfig(err)
	d.checkDataDir(c.DataDir)
	d.checkDisk(c.DataDir)
	d.checkDatabase(ctx, c)
	if d.fails > 0 {
		return fmt.Errorf("%d check(s) failed; see the FAIL lines above", d.fails)
	}
	return nil
}

// checkConfig reports each invalid value on its own line. The rest of the
// checks still run with whatever could be read, so one typo does not hide
// a second problem.
func (d *doctor) checkConfig(err error) {
	if err == nil {
		d.ok("configuration", "valid")
		return
	}
	for _, line := range strings.Split(err.Error(), "\n") {
		if line = strings.TrimSpace(line); line != "" {
			d.fail("configuration", line+"; fix it in the environment or the config file (tandem config shows what is in effect)")
		}
	}
}

func (d *doctor) checkDataDir(dir string) {
	const check = "data directory"
	st, err := os.Stat(dir)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		parent := existingAncestor(dir)
		if probe(parent) == nil {
			d.warn(check, fmt.Sprintf("%s does not exist yet; tandem serve will create it", dir))
			return
		}
		d.fail(check, fmt.Sprintf("%s does not exist and cannot be created (%s is not a writable directory): create it as the user that runs tandem (mkdir -p %s) or set TANDEM_DATA_DIR", dir, parent, dir))
	case err != nil:
		d.fail(check, fmt.Sprintf("%s cannot be used (%v): set TANDEM_DATA_DIR to a writable directory", dir, cause(err)))
	case !st.IsDir():
		d.fail(check, fmt.Sprintf("%s is a file, not a directory: set TANDEM_DATA_DIR to a directory", dir))
	default:
		if err := probe(dir); err != nil {
			d.fail(check, fmt.Sprintf("%s is not writable (%v): give the user that runs tandem write access, e.g. chown -R $(id -un) %s", dir, cause(err), dir))
			return
		}
		d.ok(check, dir+" exists and is writable")
	}
}

// probe creates and deletes a file in dir: the only sure test of write
// access (permission bits lie under root, ACLs and read-only mounts).
func probe(dir string) error {
	f, err := os.CreateTemp(dir, ".tandem-doctor-*")
	if err != nil {
		return err
	}
	_, werr := f.WriteString("probe")
	cerr := f.Close()
	rerr := os.Remove(f.Name())
	return errors.Join(werr, cerr, rerr)
}

// existingAncestor returns dir or the closest parent of it that exists.
func existingAncestor(dir string) string {
	dir = filepath.Clean(dir)
	for {
		if _, err := os.Stat(dir); err == nil {
			return dir
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return dir
		}
		dir = parent
	}
}

func (d *doctor) checkDisk(dir string) {
	where := existingAncestor(dir)
	var st syscall.Statfs_t
	if err := syscall.Statfs(where, &st); err != nil {
		d.warn("disk space", fmt.Sprintf("cannot measure free space at %s: %v", where, err))
		return
	}
	free := int64(st.Bavail) * int64(st.Bsize)
	msg := fmt.Sprintf("%s free at %s", humanBytes(free), where)
	switch {
	case free < diskFail:
		d.fail("disk space", msg+": free space now, or the database cannot grow and backups will fail")
	case free < diskWarn:
		d.warn("disk space", msg+": less than 1 GiB; free some space soon")
	default:
		d.ok("disk space", msg)
	}
}

// cause strips the path from an *fs.PathError, which the message names already.
func cause(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}

func (d *doctor) checkDatabase(ctx context.Context, c config.Config) {
	kind, target, err := store.ParseURL(c.DatabaseURL, c.DataDir)
	if err != nil {
		d.fail("database", err.Error())
		return
	}
	if kind == store.SQLite {
		// Opening a missing file would create an empty database: look first.
		if _, err := os.Stat(target); errors.Is(err, fs.ErrNotExist) {
			d.warn("database", fmt.Sprintf("no database yet at %s: run tandem serve or tandem migrate up", target))
			return
		}
	}
	db, err := store.Open(ctx, store.Options{URL: c.DatabaseURL, DataDir: c.DataDir, ReadOnly: true})
	if err != nil {
		if kind == store.Postgres {
			d.fail("database", fmt.Sprintf("%v; check that PostgreSQL is running and that DATABASE_URL (host, port, user, database) is right", err))
		} else {
			d.fail("database", fmt.Sprintf("cannot open %s: %v", target, err))
		}
		return
	}
	defer db.Close()
	if err := db.Ping(ctx); err != nil {
		d.fail("database", fmt.Sprintf("does not answer: %v", err))
		return
	}
	if kind == store.SQLite {
		d.ok("database", "SQLite file "+target)
	} else {
		d.ok("database", "PostgreSQL at "+store.RedactURL(target))
	}
	current := d.checkMigrations(ctx, db)
	if kind == store.SQLite {
		d.checkIntegrity(ctx, db)
	}
	if current {
		d.checkSetup(ctx, db)
	}
}

// checkMigrations reports pending migrations and whether the schema can be
// read at all. It does not create goose's version table on a database that
// has none (goose's Status would).
func (d *doctor) checkMigrations(ctx context.Context, db *store.DB) bool {
	if db.Dialect() == store.SQLite {
		var n int
		err := db.Read(ctx, func(tx *store.Tx) error {
			return tx.QueryRow(`SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'goose_db_version'`).Scan(&n)
		})
		if err != nil {
			d.fail("migrations", fmt.Sprintf("cannot read the schema: %v", err))
			return false
		}
		if n == 0 {
			files, _ := fs.ReadDir(store.Migrations(db.Dialect()), ".")
			d.fail("migrations", fmt.Sprintf("%d pending migrations (the database is empty): run tandem migrate up", len(files)))
			return false
		}
	}
	st, err := db.Status(ctx)
	if err != nil {
		d.fail("migrations", fmt.Sprintf("cannot read the migration state: %v", err))
		return false
	}
	if n := len(st.Pending) + st.RiverPending; n > 0 {
		d.fail("migrations", fmt.Sprintf("%d pending migrations: run tandem migrate up", n))
		return st.Current > 0
	}
	d.ok("migrations", fmt.Sprintf("schema version %d, up to date", st.Current))
	return true
}

func (d *doctor) checkIntegrity(ctx context.Context, db *store.DB) {
	var res string
	err := db.Read(ctx, func(tx *store.Tx) error {
		return tx.QueryRow(`PRAGMA quick_check`).Scan(&res)
	})
	switch {
	case err != nil:
		d.fail("integrity", fmt.Sprintf("quick_check could not run: %v", err))
	case res != "ok":
		d.fail("integrity", fmt.Sprintf("the database file is damaged (%s): restore the latest backup with tandem restore FILE", res))
	default:
		d.ok("integrity", "quick_check found no damage")
	}
}

func (d *doctor) checkSetup(ctx context.Context, db *store.DB) {
	var need bool
	var users, workspaces int
	err := db.Read(ctx, func(tx *store.Tx) (err error) {
		if need, err = account.NeedsSetup(tx); err != nil || need {
			return err
		}
		if err := tx.QueryRow(`SELECT count(*) FROM users`).Scan(&users); err != nil {
			return err
		}
		return tx.QueryRow(`SELECT count(*) FROM workspaces`).Scan(&workspaces)
	})
	switch {
	case err != nil:
		d.fail("setup", fmt.Sprintf("cannot read users: %v", err))
	case need:
		d.warn("setup", "no user yet: start tandem serve and open the one-time setup link it prints")
	default:
		d.ok("setup", fmt.Sprintf("done (%d users, %d workspaces)", users, workspaces))
	}
}
