package store

import (
	"database/sql/driver"
	"fmt"

	"modernc.org/sqlite"

	"github.com/tandemcrm/tandem/internal/crm"
)

// SQLite has no function that keeps a text's digits, so Tandem gives it
// one: digits(x) is crm.Digits. It serves set-based statements that write
// what Go code writes row by row elsewhere, such as the search documents
// of companies (their phone digits) after a bulk load.
func init() {
	sqlite.MustRegisterDeterministicScalarFunction("digits", 1, func(_ *sqlite.FunctionContext, args []driver.Value) (driver.Value, error) {
		switch v := args[0].(type) {
		case string:
			return crm.Digits(v), nil
		case []byte:
			return crm.Digits(string(v)), nil
		case nil:
			return nil, nil
		default:
			return crm.Digits(fmt.Sprint(v)), nil
		}
	})
}

// Digits is the SQL expression for crm.Digits(expr) in d.
func (d Dialect) Digits(expr string) string {
	if d == Postgres {
		return "regexp_replace(" + expr + ", '[^0-9]', '', 'g')"
	}
	return "digits(" + expr + ")"
}
