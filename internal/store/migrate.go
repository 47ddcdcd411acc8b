package store

import (
	"context"
	"embed"
	"errors"
	"fmt"
	"io/fs"

	"github.com/pressly/goose/v3"
	"github.com/pressly/goose/v3/lock"
	"github.com/riverqueue/river/riverdriver/riverpgxv5"
	"github.com/riverqueue/river/riverdriver/riversqlite"
	"github.com/riverqueue/river/rivermigrate"
)

//go:embed migrations
var migrationFS embed.FS

// Migrations returns the embedded migration files of one dialect.
func Migrations(d Dialect) fs.FS {
	sub, err := fs.Sub(migrationFS, "migrations/"+d.String())
	if err != nil {
		panic(err) // the folders are embedded at build time
	}
	return sub
}

func (db *DB) provider() (*goose.Provider, error) {
	// Migrations are written in parallel branches of work, so a lower number
	// can land after a higher one was applied somewhere; each migration is
	// independent, so applying it late is safe.
	opts := []goose.ProviderOption{goose.WithDisableGlobalRegistry(true), goose.WithAllowOutofOrder(true)}
	dialect := goose.DialectSQLite3
	if db.dialect == Postgres {
		dialect = goose.DialectPostgres
		locker, err := lock.NewPostgresTableLocker()
		if err != nil {
			return nil, err
		}
		opts = append(opts, goose.WithLocker(locker))
	}
	return goose.NewProvider(dialect, db.SQLDB(), Migrations(db.dialect), opts...)
}

// MigrationState is what `tandem migrate status` and /readyz report.
type MigrationState struct {
	Current, Latest int64
	Pending         []string // file names not yet applied
	RiverPending    int
}

// UpToDate reports whether nothing is pending.
func (s MigrationState) UpToDate() bool { return len(s.Pending) == 0 && s.RiverPending == 0 }

// Status reads which migrations are applied, without changing anything.
func (db *DB) Status(ctx context.Context) (MigrationState, error) {
	var st MigrationState
	p, err := db.provider()
	if err != nil {
		return st, fmt.Errorf("store: migrations: %w", err)
	}
	list, err := p.Status(ctx)
	if err != nil {
		return st, fmt.Errorf("store: migration status: %w", err)
	}
	for _, m := range list {
		if m.Source.Version > st.Latest {
			st.Latest = m.Source.Version
		}
		if m.State == goose.StatePending {
			st.Pending = append(st.Pending, m.Source.Path)
		} else if m.Source.Version > st.Current {
			st.Current = m.Source.Version
		}
	}
	st.RiverPending, err = db.riverPending(ctx)
	return st, err
}

// Migrate applies every pending migration, ours and River's, each in its own
// transaction, and returns the names of what it applied.
func (db *DB) Migrate(ctx context.Context) ([]string, error) {
	p, err := db.provider()
	if err != nil {
		return nil, fmt.Errorf("store: migrations: %w", err)
	}
	res, err := p.Up(ctx)
	var applied []string
	for _, r := range res {
		applied = append(applied, r.Source.Path)
	}
	if err != nil {
		var partial *goose.PartialError
		if errors.As(err, &partial) && partial.Failed != nil {
			return applied, fmt.Errorf("store: migration %s failed: %w", partial.Failed.Source.Path, partial.Err)
		}
		return applied, fmt.Errorf("store: migrate: %w", err)
	}
	n, err := db.riverMigrate(ctx)
	if err != nil {
		return applied, err
	}
	if n > 0 {
		applied = append(applied, fmt.Sprintf("river (%d versions)", n))
	}
	return applied, db.loadWorkspaceTables(ctx)
}

func (db *DB) riverPending(ctx context.Context) (int, error) {
	if db.dialect == Postgres {
		m, err := rivermigrate.New(riverpgxv5.New(db.pool), nil)
		if err != nil {
			return 0, err
		}
		res, err := m.Migrate(ctx, rivermigrate.DirectionUp, &rivermigrate.MigrateOpts{DryRun: true})
		if err != nil {
			return 0, fmt.Errorf("store: river migration status: %w", err)
		}
		return len(res.Versions), nil
	}
	m, err := rivermigrate.New(riversqlite.New(db.writer), nil)
	if err != nil {
		return 0, err
	}
	res, err := m.Migrate(ctx, rivermigrate.DirectionUp, &rivermigrate.MigrateOpts{DryRun: true})
	if err != nil {
		return 0, fmt.Errorf("store: river migration status: %w", err)
	}
	return len(res.Versions), nil
}

func (db *DB) riverMigrate(ctx context.Context) (int, error) {
	var res *rivermigrate.MigrateResult
	var err error
	if db.dialect == Postgres {
		m, merr := rivermigrate.New(riverpgxv5.New(db.pool), nil)
		if merr != nil {
			return 0, merr
		}
		res, err = m.Migrate(ctx, rivermigrate.DirectionUp, nil)
	} else {
		m, merr := rivermigrate.New(riversqlite.New(db.writer), nil)
		if merr != nil {
			return 0, merr
		}
		res, err = m.Migrate(ctx, rivermigrate.DirectionUp, nil)
	}
	if err != nil {
		return 0, fmt.Errorf("store: river migrations: %w", err)
	}
	return len(res.Versions), nil
}
