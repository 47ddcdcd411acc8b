package cli

import (
	"context"
	"errors"
	"fmt"
	iofs "io/fs"
	"path/filepath"
	"strings"
	"time"

	"github.com/tandemcrm/tandem/internal/store"
)

const pgDumpHint = "on PostgreSQL use pg_dump and pg_restore, e.g. pg_dump --format=custom --file=tandem.dump \"$DATABASE_URL\""

func runBackup(ctx context.Context, env Env, args []string) error {
	fs := flags(env, "backup", "backup [--force] FILE")
	force := fs.Bool("force", false, "overwrite FILE if it exists")
	c, err := loadConfig(env, fs, flagsFirst(args, "force"))
	if err != nil {
		return err
	}
	if fs.NArg() != 1 {
		fs.Usage()
		return errors.New("name the backup file: tandem backup FILE")
	}
	file := fs.Arg(0)
	kind, _, err := store.ParseURL(c.DatabaseURL, c.DataDir)
	if err != nil {
		return err
	}
	if kind == store.Postgres {
		return errors.New("tandem backup copies SQLite databases; " + pgDumpHint)
	}
	lock, err := lockShared(c) // a restore must not swap the file mid-copy
	if err != nil {
		return err
	}
	defer lock.Unlock()
	db, err := store.Open(ctx, store.Options{URL: c.DatabaseURL, DataDir: c.DataDir, ReadOnly: true})
	if err != nil {
		return fmt.Errorf("no database to back up: %w", err)
	}
	defer db.Close()
	started := time.Now()
	size, err := db.BackupTo(ctx, file, *force)
	if errors.Is(err, iofs.ErrExist) {
		return fmt.Errorf("%s already exists: choose another name or add --force to overwrite it", file)
	}
	if err != nil {
		return err
	}
	abs, _ := filepath.Abs(file)
	fmt.Fprintf(env.Stdout, "backup written: %s (%s, %s)\n", abs, humanBytes(size), time.Since(started).Round(time.Millisecond))
	return nil
}

func runRestore(ctx context.Context, env Env, args []string) error {
	fs := flags(env, "restore", "restore FILE")
	c, err := loadConfig(env, fs, flagsFirst(args))
	if err != nil {
		return err
	}
	if fs.NArg() != 1 {
		fs.Usage()
		return errors.New("name the backup file: tandem restore FILE")
	}
	file := fs.Arg(0)
	kind, dbPath, err := store.ParseURL(c.DatabaseURL, c.DataDir)
	if err != nil {
		return err
	}
	if kind == store.Postgres {
		return errors.New("tandem restore replaces SQLite databases; " + pgDumpHint)
	}
	// Check the file before taking the lock, so a wrong file is reported
	// even while the server runs.
	info, err := store.InspectSQLiteBackup(ctx, file)
	if err != nil {
		return err
	}
	lock, err := lockExclusive(c)
	if err != nil {
		return err
	}
	defer lock.Unlock()
	stamp := time.Now().UTC().Format("20060102T150405Z")
	kept, err := store.RestoreSQLite(ctx, dbPath, file, stamp)
	if err != nil {
		return err
	}
	if kept != "" {
		fmt.Fprintf(env.Stdout, "previous database kept as %s\n", kept)
	}
	fmt.Fprintf(env.Stdout, "restored %s from %s (%s, schema version %d)\n", dbPath, file, humanBytes(info.Size), info.Version)
	if info.Version < info.Latest {
		fmt.Fprintf(env.Stdout, "the backup's schema is older than this binary (%d < %d): run tandem migrate up, or start tandem serve, which migrates\n", info.Version, info.Latest)
	}
	return nil
}

// flagsFirst moves positional arguments behind the flags, so that
// `tandem backup out.db --force` works like `tandem backup --force out.db`
// (the flag package stops at the first non-flag). bools names the flags
// that take no value; every other flag without "=" takes the next argument.
func flagsFirst(args []string, bools ...string) []string {
	var flagArgs, rest []string
	for i := 0; i < len(args); i++ {
		a := args[i]
		if a == "--" {
			rest = append(rest, args[i+1:]...)
			break
		}
		if !strings.HasPrefix(a, "-") || a == "-" {
			rest = append(rest, a)
			continue
		}
		flagArgs = append(flagArgs, a)
		name := strings.TrimLeft(a, "-")
		if strings.Contains(name, "=") || isOneOf(name, bools) || name == "h" || name == "help" {
			continue
		}
		if i+1 < len(args) {
			flagArgs = append(flagArgs, args[i+1])
			i++
		}
	}
	if len(rest) > 0 {
		flagArgs = append(flagArgs, "--")
	}
	return append(flagArgs, rest...)
}

func isOneOf(s string, list []string) bool {
	for _, x := range list {
		if s == x {
			return true
		}
	}
	return false
}

func humanBytes(n int64) string {
	const unit = 1024
	if n < unit {
		return fmt.Sprintf("%d B", n)
	}
	div, exp := int64(unit), 0
	for m := n / unit; m >= unit; m /= unit {
		div *= unit
		exp++
	}
	return fmt.Sprintf("%.1f %ciB", float64(n)/float64(div), "KMGTPE"[exp])
}
