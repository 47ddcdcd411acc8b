package store

import (
	"context"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5/pgconn"
)

// CountUpTo counts the rows of q (a SELECT without LIMIT, usually
// "SELECT 1 FROM … WHERE …") up to max+1, spending at most the database's
// count budget on it (Options.CountBudget, TANDEM_COUNT_BUDGET). complete
// is false when the budget ran out first; n is then 0 and the caller knows
// only what its own page showed. Running out is not an error.
//
// Lists show "how many" next to their first page. Counting up to a cap is
// cheap when the filter is served by an index, but a filter that matches
// one row in thirty and no index (lifecycle = "customer" and source =
// "Referral") reads tens of thousands of rows to find a thousand, and a
// filter that matches almost nothing reads the whole workspace: the page
// must not wait for that.
func (tx *Tx) CountUpTo(q string, args []any, max int) (n int, complete bool, err error) {
	q, err = tx.prepare(`SELECT count(*) FROM (` + q + ` LIMIT ?) counted`)
	if err != nil {
		return 0, false, err
	}
	args = append(args[:len(args):len(args)], max+1)
	if tx.pgTx != nil {
		return tx.countPostgres(q, args)
	}
	// SQLite: the driver interrupts a statement whose context ends while it
	// runs (it checks every thousand VM steps); the count is one step, and
	// the read transaction goes on afterwards.
	ctx, cancel := context.WithTimeout(tx.ctx, tx.db.budget)
	defer cancel()
	err = tx.sqlTx.QueryRowContext(ctx, q, args...).Scan(&n)
	if err != nil && ctx.Err() != nil && tx.ctx.Err() == nil {
		return 0, false, nil
	}
	if err != nil {
		return 0, false, translate(err)
	}
	return n, true, nil
}

// countPostgres runs the count under a statement timeout inside a
// savepoint: a cancelled statement aborts only the savepoint, and rolling
// back to it also restores the timeout.
func (tx *Tx) countPostgres(q string, args []any) (n int, complete bool, err error) {
	ms := max(tx.db.budget.Milliseconds(), 1)
	if _, err := tx.pgTx.Exec(tx.ctx, `SAVEPOINT tandem_count`); err != nil {
		return 0, false, translate(err)
	}
	release := func() error {
		if _, err := tx.pgTx.Exec(tx.ctx, `ROLLBACK TO SAVEPOINT tandem_count`); err != nil {
			return translate(err)
		}
		_, err := tx.pgTx.Exec(tx.ctx, `RELEASE SAVEPOINT tandem_count`)
		return translate(err)
	}
	if _, err := tx.pgTx.Exec(tx.ctx, fmt.Sprintf(`SET LOCAL statement_timeout = %d`, ms)); err != nil {
		return 0, false, errors.Join(translate(err), release())
	}
	err = tx.pgTx.QueryRow(tx.ctx, q, args...).Scan(&n)
	var pe *pgconn.PgError
	if errors.As(err, &pe) && pe.Code == "57014" { // query_canceled: the budget ran out
		return 0, false, release()
	}
	if err != nil {
		return 0, false, errors.Join(translate(err), release())
	}
	return n, true, release()
}
