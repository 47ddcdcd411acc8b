package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"net/url"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/jackc/pgx/v5/stdlib"
	_ "modernc.org/sqlite" // registers the "sqlite" database/sql driver

	"github.com/tandemcrm/tandem/internal/crm"
	"github.com/tandemcrm/tandem/internal/ids"
)

// Options configure Open.
type Options struct {
	// URL is "sqlite:PATH", "postgres://…" or "" for DataDir/tandem.db.
	URL     string
	DataDir string
	Logger  *slog.Logger
	// Clock gives the "now" of every transaction; nil means time.Now.
	Clock func() time.Time
	// ReadOnly opens the SQLite file without creating it (doctor, status).
	ReadOnly bool
	// CountBudget is the most time CountUpTo spends on one count; zero
	// means DefaultCountBudget.
	CountBudget time.Duration
}

// DefaultCountBudget bounds how long a list's first page counts matches.
const DefaultCountBudget = 10 * time.Millisecond

// DB is Tandem's database: for SQLite one writer connection and a pool of
// readers on the same file; for PostgreSQL one pgx pool.
type DB struct {
	dialect Dialect
	url     string // as given to Open, password included: never log it
	log     *slog.Logger
	clock   func() time.Time
	budget  time.Duration // CountUpTo's

	path   string     // SQLite file
	writer *sql.DB    // SQLite: the only connection that writes
	reader *sql.DB    // SQLite: read-only pool
	stmts  *stmtCache // SQLite: the readers' prepared statements
	// readSlots bounds the SQLite read transactions open at once.
	readSlots chan struct{}

	pool  *pgxpool.Pool // PostgreSQL
	pgSQL *sql.DB       // PostgreSQL through database/sql, for goose

	mu       sync.RWMutex
	wsTables map[string]bool
	ids      *ids.Generator
	node     *nodeLease
	guard    sync.Map // query text → error (nil when allowed)
	hooks    []namedHook
}

// Open connects to the database named by opts.URL. It does not migrate.
func Open(ctx context.Context, opts Options) (*DB, error) {
	db := &DB{url: opts.URL, log: opts.Logger, clock: opts.Clock, budget: opts.CountBudget}
	if db.budget <= 0 {
		db.budget = DefaultCountBudget
	}
	if db.log == nil {
		db.log = slog.New(slog.DiscardHandler)
	}
	if db.clock == nil {
		db.clock = time.Now
	}
	kind, target, err := ParseURL(opts.URL, opts.DataDir)
	if err != nil {
		return nil, err
	}
	db.dialect = kind
	if kind == Postgres {
		err = db.openPostgres(ctx, target)
	} else {
		err = db.openSQLite(ctx, target, opts.ReadOnly)
	}
	if err != nil {
		return nil, err
	}
	if err := db.loadWorkspaceTables(ctx); err != nil {
		db.Close()
		return nil, err
	}
	return db, nil
}

// ParseURL tells the dialect of a DATABASE_URL and what to connect to.
func ParseURL(raw, dataDir string) (Dialect, string, error) {
	switch {
	case raw == "":
		if dataDir == "" {
			dataDir = "data"
		}
		return SQLite, filepath.Join(dataDir, "tandem.db"), nil
	case strings.HasPrefix(raw, "postgres://"), strings.HasPrefix(raw, "postgresql://"):
		if _, err := url.Parse(raw); err != nil {
			return 0, "", fmt.Errorf("DATABASE_URL is not a valid URL: %w", err)
		}
		return Postgres, raw, nil
	case strings.HasPrefix(raw, "sqlite:"):
		p := strings.TrimPrefix(strings.TrimPrefix(raw, "sqlite:"), "//")
		if p == "" {
			return 0, "", errors.New("DATABASE_URL sqlite: needs a file path, e.g. sqlite:data/tandem.db")
		}
		return SQLite, p, nil
	}
	return 0, "", fmt.Errorf("DATABASE_URL %q: use sqlite:PATH or postgres://USER@HOST/DB", redactURL(raw))
}

func sqliteDSN(path string, write bool) string {
	q := "_pragma=busy_timeout(10000)&_pragma=foreign_keys(1)&_pragma=synchronous(NORMAL)"
	if write {
		return "file:" + path + "?_pragma=journal_mode(WAL)&" + q + "&_txlock=immediate"
	}
	// Readers map the file (up to 1 GiB): a page read is then a memory
	// access instead of a pread system call, which at a million contacts
	// was a fifth of an export's CPU. The writer keeps plain reads, so an
	// import's peak memory counts only what it allocates.
	return "file:" + path + "?" + q + "&_pragma=query_only(1)&_pragma=mmap_size(1073741824)"
}

func (db *DB) openSQLite(ctx context.Context, path string, readOnly bool) error {
	db.path = path
	if readOnly {
		if _, err := os.Stat(path); err != nil {
			return fmt.Errorf("store: database file %s: %w", path, err)
		}
	} else if dir := filepath.Dir(path); dir != "" {
		if err := os.MkdirAll(dir, 0o750); err != nil {
			return fmt.Errorf("store: create data directory: %w", err)
		}
	}
	w, err := sql.Open("sqlite", sqliteDSN(path, true))
	if err != nil {
		return fmt.Errorf("store: open %s: %w", path, err)
	}
	// SQLite allows one writer at a time; one connection makes writers queue in
	// Go instead of spinning on SQLITE_BUSY.
	w.SetMaxOpenConns(1)
	w.SetConnMaxIdleTime(0)
	db.writer = w
	if err := w.PingContext(ctx); err != nil {
		w.Close()
		return fmt.Errorf("store: open %s: %w", path, err)
	}
	r, err := sql.Open("sqlite", sqliteDSN(path, false))
	if err != nil {
		w.Close()
		return fmt.Errorf("store: open readers: %w", err)
	}
	// One connection more than read transactions may hold at once: the
	// statement cache prepares on it (stmtcache.go).
	n := max(4, runtime.NumCPU()*2)
	r.SetMaxOpenConns(n + 1)
	r.SetMaxIdleConns(n + 1)
	db.readSlots = make(chan struct{}, n)
	db.reader = r
	db.stmts = newStmtCache(r)
	return nil
}

func (db *DB) openPostgres(ctx context.Context, dsn string) error {
	cfg, err := pgxpool.ParseConfig(dsn)
	if err != nil {
		return fmt.Errorf("store: DATABASE_URL: %w", err)
	}
	if cfg.MaxConns < 8 {
		cfg.MaxConns = 8
	}
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return fmt.Errorf("store: connect to PostgreSQL: %w", err)
	}
	pctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	if err := pool.Ping(pctx); err != nil {
		pool.Close()
		return fmt.Errorf("store: connect to PostgreSQL at %s: %w", redactURL(dsn), err)
	}
	db.pool = pool
	db.pgSQL = stdlib.OpenDBFromPool(pool)
	return nil
}

// Close releases the node lease and every connection.
func (db *DB) Close() error {
	db.releaseNode()
	var errs []error
	if db.reader != nil {
		db.stmts.close()
		errs = append(errs, db.reader.Close())
	}
	if db.writer != nil {
		errs = append(errs, db.writer.Close())
	}
	if db.pgSQL != nil {
		errs = append(errs, db.pgSQL.Close())
	}
	if db.pool != nil {
		db.pool.Close()
	}
	return errors.Join(errs...)
}

// URL is the database URL this DB was opened with, for opening a second
// handle (tests, tools). It may hold a password: never log it.
func (db *DB) URL() string { return db.url }

// Dialect is the SQL dialect of this database.
func (db *DB) Dialect() Dialect { return db.dialect }

// Logger is the logger the database was opened with.
func (db *DB) Logger() *slog.Logger { return db.log }

// Path is the SQLite file, "" on PostgreSQL.
func (db *DB) Path() string { return db.path }

// Now is the database clock, the same one transactions use.
func (db *DB) Now() time.Time { return db.clock().UTC() }

// Ping checks that the database answers.
func (db *DB) Ping(ctx context.Context) error {
	if db.dialect == Postgres {
		return db.pool.Ping(ctx)
	}
	return db.reader.PingContext(ctx)
}

// SQLDB returns a database/sql handle that may write: the SQLite writer or
// PostgreSQL through pgx's stdlib adapter. Only for tools (migrations, River's
// SQLite driver, backups) — domain code uses Read and Write.
func (db *DB) SQLDB() *sql.DB {
	if db.dialect == Postgres {
		return db.pgSQL
	}
	return db.writer
}

// Pool returns the pgx pool on PostgreSQL (nil on SQLite), for River and COPY.
func (db *DB) Pool() *pgxpool.Pool { return db.pool }

// NewID returns a new record id. It panics if ClaimNode was not called: a
// process that writes records must own a node number first.
func (db *DB) NewID() crm.ID {
	db.mu.RLock()
	g := db.ids
	db.mu.RUnlock()
	if g == nil {
		panic("store: NewID before ClaimNode")
	}
	return g.Next()
}

func redactURL(raw string) string {
	u, err := url.Parse(raw)
	if err != nil || u.User == nil {
		return raw
	}
	if _, ok := u.User.Password(); ok {
		u.User = url.UserPassword(u.User.Username(), "xxxxx")
	}
	return u.String()
}

// RedactURL hides the password of a database URL for logs and `tandem config`.
func RedactURL(raw string) string { return redactURL(raw) }
