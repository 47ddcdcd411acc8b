// Package testdb gives tests a fresh, migrated database: SQLite always, and
// PostgreSQL when TANDEM_TEST_POSTGRES names a server
// (postgres://postgres@127.0.0.1:5432/postgres). Each test gets its own
// database, cloned from a template migrated once per test binary.
//
// In CI (CI=true) a missing or unreachable PostgreSQL fails the test instead
// of skipping it, so the PostgreSQL suite can never silently stop running.
package testdb

import (
	"context"
	"fmt"
	"net/url"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/tandemcrm/tandem/internal/ids"
	"github.com/tandemcrm/tandem/internal/store"
)

// EnvPostgres names the PostgreSQL server used by tests.
const EnvPostgres = "TANDEM_TEST_POSTGRES"

// Options tune a test database.
type Options struct {
	Clock func() time.Time
	// CountBudget is store.Options.CountBudget. Tests get a generous one
	// by default, so that a count on a loaded machine is still exact.
	CountBudget time.Duration
}

// New returns a fresh, migrated SQLite database in t's temp dir.
func New(t testing.TB) *store.DB { return NewSQLite(t, Options{}) }

// NewSQLite is New with options.
func NewSQLite(t testing.TB, o Options) *store.DB {
	t.Helper()
	dir := t.TempDir()
	return open(t, "sqlite:"+dir+"/tandem.db", o, true)
}

// Postgres returns a fresh, migrated PostgreSQL database, or skips the test
// when no server is configured (and fails it in CI).
func Postgres(t testing.TB) *store.DB { return NewPostgres(t, Options{}) }

// NewPostgres is Postgres with options.
func NewPostgres(t testing.TB, o Options) *store.DB {
	t.Helper()
	dsn := PostgresURL(t)
	tpl, err := template(dsn)
	if err != nil {
		t.Fatalf("testdb: PostgreSQL template: %v", err)
	}
	name := "tandem_t_" + strings.ToLower(strings.NewReplacer("-", "", "_", "").Replace(ids.Token(9)))
	if err := adminExec(dsn, fmt.Sprintf(`CREATE DATABASE %s TEMPLATE %s`, name, tpl)); err != nil {
		t.Fatalf("testdb: create database: %v", err)
	}
	t.Cleanup(func() {
		_ = adminExec(dsn, fmt.Sprintf(`DROP DATABASE IF EXISTS %s WITH (FORCE)`, name))
	})
	return open(t, withDB(dsn, name), o, false)
}

// PostgresURL returns the configured server URL, skipping (or, in CI,
// failing) when there is none.
func PostgresURL(t testing.TB) string {
	t.Helper()
	dsn := os.Getenv(EnvPostgres)
	if dsn == "" {
		if os.Getenv("CI") != "" {
			t.Fatalf("testdb: %s is not set; in CI the PostgreSQL tests must run", EnvPostgres)
		}
		t.Skipf("PostgreSQL tests skipped: set %s=postgres://postgres@127.0.0.1:5432/postgres to run them", EnvPostgres)
	}
	return dsn
}

// Each runs fn against SQLite and, when configured, PostgreSQL, as subtests
// named after the dialect.
func Each(t *testing.T, fn func(t *testing.T, db *store.DB)) {
	t.Run("sqlite", func(t *testing.T) { fn(t, New(t)) })
	t.Run("postgres", func(t *testing.T) { fn(t, Postgres(t)) })
}

// EachWith is Each with options (a clock the test moves, say).
func EachWith(t *testing.T, o Options, fn func(t *testing.T, db *store.DB)) {
	t.Run("sqlite", func(t *testing.T) { fn(t, NewSQLite(t, o)) })
	t.Run("postgres", func(t *testing.T) { fn(t, NewPostgres(t, o)) })
}

func open(t testing.TB, dsn string, o Options, migrate bool) *store.DB {
	t.Helper()
	ctx := context.Background()
	if o.CountBudget == 0 {
		o.CountBudget = time.Minute
	}
	db, err := store.Open(ctx, store.Options{URL: dsn, Clock: o.Clock, CountBudget: o.CountBudget})
	if err != nil {
		t.Fatalf("testdb: open: %v", err)
	}
	t.Cleanup(func() { db.Close() })
	if migrate {
		if _, err := db.Migrate(ctx); err != nil {
			t.Fatalf("testdb: migrate: %v", err)
		}
	}
	if err := db.ClaimNode(ctx); err != nil {
		t.Fatalf("testdb: %v", err)
	}
	return db
}

var (
	tplOnce sync.Once
	tplName string
	tplErr  error
)

// template migrates one PostgreSQL database per test binary; every test's
// database is a cheap copy of it.
func template(dsn string) (string, error) {
	tplOnce.Do(func() {
		tplName = fmt.Sprintf("tandem_tpl_%d_%s", os.Getpid(), strings.ToLower(strings.NewReplacer("-", "", "_", "").Replace(ids.Token(6))))
		if tplErr = adminExec(dsn, "CREATE DATABASE "+tplName); tplErr != nil {
			return
		}
		ctx := context.Background()
		db, err := store.Open(ctx, store.Options{URL: withDB(dsn, tplName)})
		if err != nil {
			tplErr = err
			return
		}
		_, tplErr = db.Migrate(ctx)
		db.Close()
	})
	return tplName, tplErr
}

// Main wraps testing.M.Run for packages that use PostgreSQL, dropping the
// template database when the package's tests are done.
func Main(m interface{ Run() int }) {
	code := m.Run()
	if tplName != "" {
		_ = adminExec(os.Getenv(EnvPostgres), fmt.Sprintf(`DROP DATABASE IF EXISTS %s WITH (FORCE)`, tplName))
	}
	os.Exit(code)
}

func adminExec(dsn, stmt string) error {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	conn, err := pgx.Connect(ctx, dsn)
	if err != nil {
		return fmt.Errorf("connect to %s: %w", store.RedactURL(dsn), err)
	}
	defer conn.Close(ctx)
	_, err = conn.Exec(ctx, stmt)
	return err
}

func withDB(dsn, name string) string {
	u, err := url.Parse(dsn)
	if err != nil {
		return dsn
	}
	u.Path = "/" + name
	return u.String()
}
