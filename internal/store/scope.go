package store

import (
	"context"
	"fmt"
	"strings"
)

// The tenant boundary is the workspace_id column. Any table that has one is
// workspace-owned, and every statement that names such a table must say
// workspace_id somewhere, or it is refused before it reaches the database. A
// forgotten scope therefore fails loudly the first time a test runs the query,
// instead of leaking another customer's rows in production.

const maxGuardCache = 20_000

func (db *DB) loadWorkspaceTables(ctx context.Context) error {
	var q string
	if db.dialect == Postgres {
		q = `SELECT table_name FROM information_schema.columns
		     WHERE column_name = 'workspace_id' AND table_schema = current_schema()`
	} else {
		q = `SELECT m.name FROM sqlite_master m, pragma_table_info(m.name) p
		     WHERE m.type = 'table' AND p.name = 'workspace_id'`
	}
	var rows interface {
		Next() bool
		Scan(...any) error
		Err() error
	}
	if db.dialect == Postgres {
		r, err := db.pool.Query(ctx, q)
		if err != nil {
			return fmt.Errorf("store: list workspace tables: %w", err)
		}
		defer r.Close()
		rows = r
	} else {
		r, err := db.reader.QueryContext(ctx, q)
		if err != nil {
			return fmt.Errorf("store: list workspace tables: %w", err)
		}
		defer r.Close()
		rows = r
	}
	tables := map[string]bool{}
	for rows.Next() {
		var name string
		if err := rows.Scan(&name); err != nil {
			return err
		}
		tables[strings.ToLower(name)] = true
	}
	if err := rows.Err(); err != nil {
		return err
	}
	db.mu.Lock()
	db.wsTables = tables
	db.mu.Unlock()
	db.guard.Clear()
	return nil
}

// WorkspaceTables lists the tables that hold workspace data.
func (db *DB) WorkspaceTables() []string {
	db.mu.RLock()
	defer db.mu.RUnlock()
	out := make([]string, 0, len(db.wsTables))
	for t := range db.wsTables {
		out = append(out, t)
	}
	return out
}

func (db *DB) checkScope(q string) error {
	if v, ok := db.guard.Load(q); ok {
		if v == nil {
			return nil
		}
		return v.(error)
	}
	err := db.scopeError(q)
	n := 0
	db.guard.Range(func(any, any) bool { n++; return n < maxGuardCache })
	if n < maxGuardCache {
		db.guard.Store(q, err)
	}
	return err
}

// scopeError returns an error when q names a workspace-owned table but never
// mentions workspace_id.
func (db *DB) scopeError(q string) error {
	lower := strings.ToLower(q)
	if strings.Contains(lower, "workspace_id") {
		return nil
	}
	db.mu.RLock()
	defer db.mu.RUnlock()
	for _, name := range tablesNamed(lower) {
		if db.wsTables[name] {
			return fmt.Errorf("store: query on workspace table %q has no workspace_id condition: %.120s", name, q)
		}
	}
	return nil
}

// tablesNamed returns the identifiers that follow FROM, JOIN, INTO, UPDATE
// and TABLE in a lower-cased statement.
func tablesNamed(q string) []string {
	fields := strings.FieldsFunc(q, func(r rune) bool {
		return r == ' ' || r == '\n' || r == '\t' || r == '\r' || r == ',' || r == '(' || r == ')' || r == ';'
	})
	var out []string
	for i := 0; i+1 < len(fields); i++ {
		switch fields[i] {
		case "from", "join", "into", "update", "table":
			out = append(out, strings.Trim(fields[i+1], `"`))
		}
	}
	return out
}
