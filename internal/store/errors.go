package store

import (
	"database/sql"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"

	"github.com/tandemcrm/tandem/internal/crm"
)

// translate turns driver errors into the errors Tandem code reacts to,
// matching by error code and never by message text. Everything else passes
// through unchanged (and becomes "internal" at the edge).
func translate(err error) error {
	if err == nil {
		return nil
	}
	if errors.Is(err, sql.ErrNoRows) || errors.Is(err, pgx.ErrNoRows) {
		return ErrNoRows
	}
	var pe *pgconn.PgError
	if errors.As(err, &pe) {
		switch pe.Code {
		case "23505": // unique_violation
			return crm.Errorf(crm.Conflict, "A record with this value already exists.").WithCause(err)
		case "23503": // foreign_key_violation
			return crm.Errorf(crm.Invalid, "A referenced record does not exist.").WithCause(err)
		}
		return fmt.Errorf("postgres %s: %w", pe.Code, err)
	}
	var se *sqlite.Error
	if errors.As(err, &se) {
		switch se.Code() {
		case sqlite3.SQLITE_CONSTRAINT_UNIQUE, sqlite3.SQLITE_CONSTRAINT_PRIMARYKEY:
			return crm.Errorf(crm.Conflict, "A record with this value already exists.").WithCause(err)
		case sqlite3.SQLITE_CONSTRAINT_FOREIGNKEY:
			return crm.Errorf(crm.Invalid, "A referenced record does not exist.").WithCause(err)
		}
	}
	return err
}
