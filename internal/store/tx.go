package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/tandemcrm/tandem/internal/crm"
)

// Tx is one transaction. Every helper that writes takes a *Tx so that several
// compose in one transaction, and they all agree on Now.
type Tx struct {
	ctx      context.Context
	db       *DB
	sqlTx    *sql.Tx // SQLite
	pgTx     pgx.Tx  // PostgreSQL
	write    bool
	unscoped bool
	// hooks is shared with the views Unscoped makes, so a callback
	// registered through one of them still runs.
	hooks *txHooks

	// Now is fixed when the transaction begins (UTC, microsecond precision),
	// so every row written in it carries the same time and tests control it.
	Now time.Time
}

type txHooks struct {
	afterCommit []func()
	// beforeCommit runs in the transaction once fn has succeeded; locals
	// is state those callbacks keep per transaction (the audit log's batch).
	beforeCommit []func(*Tx) error
	locals       map[any]any
}

// Write runs fn in a read-write transaction and commits it when fn returns
// nil. On SQLite it holds the single writer connection: fn must not call
// db.Write or db.Read itself.
func (db *DB) Write(ctx context.Context, fn func(*Tx) error) error {
	return db.run(ctx, true, fn)
}

// Read runs fn in a read-only transaction: a consistent snapshot, and on
// SQLite a connection from the reader pool that never waits for the writer.
func (db *DB) Read(ctx context.Context, fn func(*Tx) error) error {
	return db.run(ctx, false, fn)
}

func (db *DB) run(ctx context.Context, write bool, fn func(*Tx) error) (err error) {
	tx := &Tx{ctx: ctx, db: db, write: write, hooks: &txHooks{}, Now: db.Now().Truncate(time.Microsecond)}
	if db.dialect == Postgres {
		mode := pgx.ReadWrite
		if !write {
			mode = pgx.ReadOnly
		}
		tx.pgTx, err = db.pool.BeginTx(ctx, pgx.TxOptions{AccessMode: mode})
	} else {
		pool := db.reader
		if write {
			pool = db.writer
		} else {
			select {
			case db.readSlots <- struct{}{}:
				defer func() { <-db.readSlots }()
			case <-ctx.Done():
				return fmt.Errorf("store: begin: %w", ctx.Err())
			}
		}
		tx.sqlTx, err = pool.BeginTx(ctx, nil)
	}
	if err != nil {
		return fmt.Errorf("store: begin: %w", translate(err))
	}
	defer func() {
		if p := recover(); p != nil {
			tx.rollback()
			panic(p)
		}
	}()
	if err := fn(tx); err != nil {
		tx.rollback()
		return err
	}
	// A callback may register another (it is appended and still runs).
	for i := 0; i < len(tx.hooks.beforeCommit); i++ {
		if err := tx.hooks.beforeCommit[i](tx); err != nil {
			tx.rollback()
			return err
		}
	}
	if db.dialect == Postgres {
		err = tx.pgTx.Commit(ctx)
	} else {
		err = tx.sqlTx.Commit()
	}
	if err != nil {
		if ctx.Err() != nil {
			// The caller's context ended (a client that went away):
			// database/sql has rolled the transaction back; say why.
			return fmt.Errorf("store: commit: %w", ctx.Err())
		}
		return fmt.Errorf("store: commit: %w", translate(err))
	}
	for _, f := range tx.hooks.afterCommit {
		f()
	}
	return nil
}

func (tx *Tx) rollback() {
	if tx.pgTx != nil {
		_ = tx.pgTx.Rollback(context.WithoutCancel(tx.ctx))
	} else {
		_ = tx.sqlTx.Rollback()
	}
}

// Context is the context the transaction was started with.
func (tx *Tx) Context() context.Context { return tx.ctx }

// Dialect of the database this transaction runs on.
func (tx *Tx) Dialect() Dialect { return tx.db.dialect }

// NewID returns a new record id.
func (tx *Tx) NewID() crm.ID { return tx.db.NewID() }

// AfterCommit runs f once the transaction has committed (never if it rolls
// back): for signalling workers, never for work that must not be lost.
func (tx *Tx) AfterCommit(f func()) { tx.hooks.afterCommit = append(tx.hooks.afterCommit, f) }

// BeforeCommit runs f inside the transaction after the function given to
// Write has returned nil, in the order registered; an error rolls back. It
// lets work that must be in the transaction happen last (the audit log
// locks its chain head there, so the lock is held only until commit).
func (tx *Tx) BeforeCommit(f func(*Tx) error) {
	tx.hooks.beforeCommit = append(tx.hooks.beforeCommit, f)
}

// Local returns the value stored under key for this transaction, or nil.
func (tx *Tx) Local(key any) any { return tx.hooks.locals[key] }

// SetLocal stores v under key for the rest of this transaction.
func (tx *Tx) SetLocal(key, v any) {
	if tx.hooks.locals == nil {
		tx.hooks.locals = map[any]any{}
	}
	tx.hooks.locals[key] = v
}

// SQLTx is the underlying transaction on SQLite (nil on PostgreSQL), for
// libraries that enqueue in our transaction (River).
func (tx *Tx) SQLTx() *sql.Tx { return tx.sqlTx }

// PgxTx is the underlying transaction on PostgreSQL (nil on SQLite).
func (tx *Tx) PgxTx() pgx.Tx { return tx.pgTx }

// Unscoped returns a view of the transaction that may query workspace-owned
// tables without a workspace_id condition. It exists for the few
// instance-level jobs (retention sweeps, node leases); every use is a place
// to review.
func (tx *Tx) Unscoped() *Tx {
	c := *tx
	c.unscoped = true
	return &c
}

func (tx *Tx) prepare(q string) (string, error) {
	if !tx.unscoped {
		if err := tx.db.checkScope(q); err != nil {
			return "", err
		}
	}
	if tx.db.dialect == Postgres {
		return rebind(q), nil
	}
	return q, nil
}

// Exec runs a statement and returns the number of rows it affected.
func (tx *Tx) Exec(q string, args ...any) (int64, error) {
	q, err := tx.prepare(q)
	if err != nil {
		return 0, err
	}
	if tx.pgTx != nil {
		tag, err := tx.pgTx.Exec(tx.ctx, q, args...)
		if err != nil {
			return 0, translate(err)
		}
		return tag.RowsAffected(), nil
	}
	res, err := tx.sqlTx.ExecContext(tx.ctx, q, args...)
	if err != nil {
		return 0, translate(err)
	}
	return res.RowsAffected()
}

// Query runs a query; the caller must Close the rows.
func (tx *Tx) Query(q string, args ...any) (*Rows, error) {
	q, err := tx.prepare(q)
	if err != nil {
		return nil, err
	}
	if tx.pgTx != nil {
		r, err := tx.pgTx.Query(tx.ctx, q, args...)
		if err != nil {
			return nil, translate(err)
		}
		return &Rows{p: r}, nil
	}
	if !tx.write {
		st, err := tx.db.stmts.stmt(tx.ctx, tx.sqlTx, q)
		if err != nil {
			return nil, translate(err)
		}
		r, err := st.QueryContext(tx.ctx, args...)
		if err != nil {
			return nil, translate(err)
		}
		return &Rows{s: r}, nil
	}
	r, err := tx.sqlTx.QueryContext(tx.ctx, q, args...)
	if err != nil {
		return nil, translate(err)
	}
	return &Rows{s: r}, nil
}

// QueryRow runs a query expected to return at most one row.
func (tx *Tx) QueryRow(q string, args ...any) *Row {
	q, err := tx.prepare(q)
	if err != nil {
		return &Row{err: err}
	}
	if tx.pgTx != nil {
		return &Row{p: tx.pgTx.QueryRow(tx.ctx, q, args...)}
	}
	if !tx.write {
		st, err := tx.db.stmts.stmt(tx.ctx, tx.sqlTx, q)
		if err != nil {
			return &Row{err: translate(err)}
		}
		return &Row{s: st.QueryRowContext(tx.ctx, args...)}
	}
	return &Row{s: tx.sqlTx.QueryRowContext(tx.ctx, q, args...)}
}

// IDs runs a query of one id column and returns the ids in its order.
func (tx *Tx) IDs(q string, args ...any) ([]crm.ID, error) {
	rows, err := tx.Query(q, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []crm.ID
	for rows.Next() {
		var id crm.ID
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		out = append(out, id)
	}
	return out, rows.Err()
}

// Rows iterates over a query's result in either dialect.
type Rows struct {
	s *sql.Rows
	p pgx.Rows
}

func (r *Rows) Next() bool {
	if r.p != nil {
		return r.p.Next()
	}
	return r.s.Next()
}

func (r *Rows) Scan(dest ...any) error {
	if r.p != nil {
		return translate(r.p.Scan(dest...))
	}
	return translate(r.s.Scan(dest...))
}

func (r *Rows) Err() error {
	if r.p != nil {
		return translate(r.p.Err())
	}
	return translate(r.s.Err())
}

func (r *Rows) Close() {
	if r.p != nil {
		r.p.Close()
		return
	}
	_ = r.s.Close()
}

// Row is the result of QueryRow. Scan returns ErrNoRows when there was none.
type Row struct {
	s   *sql.Row
	p   pgx.Row
	err error
}

func (r *Row) Scan(dest ...any) error {
	if r.err != nil {
		return r.err
	}
	if r.p != nil {
		return translate(r.p.Scan(dest...))
	}
	return translate(r.s.Scan(dest...))
}

// ErrNoRows is returned by Row.Scan when the query found nothing. Domain code
// turns it into a crm.NotFound error that names what was missing.
var ErrNoRows = errors.New("store: no rows")

// Micros encodes a time for storage: Unix microseconds, UTC. The zero time is
// stored as 0.
func Micros(t time.Time) int64 {
	if t.IsZero() {
		return 0
	}
	return t.UnixMicro()
}

// FromMicros decodes a stored time; 0 is the zero time.
func FromMicros(us int64) time.Time {
	if us == 0 {
		return time.Time{}
	}
	return time.UnixMicro(us).UTC()
}

// Columns names the result's columns, in order (for code that reads whole
// rows generically, such as the privacy export).
func (r *Rows) Columns() ([]string, error) {
	if r.p != nil {
		fds := r.p.FieldDescriptions()
		out := make([]string, len(fds))
		for i, fd := range fds {
			out[i] = fd.Name
		}
		return out, nil
	}
	return r.s.Columns()
}
