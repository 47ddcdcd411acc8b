package records

import (
	"github.com/tandemcrm/tandem/internal/crm"
	"github.com/tandemcrm/tandem/internal/filter"
	"github.com/tandemcrm/tandem/internal/store"
)

// The list machinery (filter, sort, keyset cursor, capped count) is shared
// with the other record packages (deals), so every list in Tandem filters,
// sorts and pages the same way. These are thin exported doors onto it.

// SortKey is one key of a parsed sort.
type SortKey = sortKey

// Name is the sort key as users write it ("created_at").
func (k sortKey) Name() string { return k.name }

// Desc is whether the key sorts descending.
func (k sortKey) Desc() bool { return k.desc }

// Cursor is a decoded list cursor.
type Cursor = cursorState

// ParseSort checks a sort spec against the allowed names (name → column) and
// returns the keys and the canonical spec a cursor remembers.
func ParseSort(spec string, allowed map[string]string, def string) ([]SortKey, string, error) {
	return parseSort(spec, allowed, def)
}

// DecodeCursor reads a cursor made for the same sort with n keys; "" is nil.
func DecodeCursor(s, sort string, n int) (*Cursor, error) { return decodeCursor(s, sort, n) }

// EncodeCursor makes the cursor after a row with these sort values and id.
func EncodeCursor(sort string, values []any, id crm.ID) string {
	return encodeCursor(cursorState{Sort: sort, Values: values, ID: id})
}

// Keyset returns ORDER BY and, with a cursor, the "after the last row"
// condition and its arguments.
func Keyset(keys []SortKey, alias string, cur *Cursor) (string, string, []any) {
	return keyset(keys, alias, cur)
}

// Where is a list's scoped WHERE clause: workspace, not deleted, visible to
// p through the account rules (on alias.owner_id), and the filter.
func Where(tx *store.Tx, alias string, ws crm.ID, schema *filter.Schema, expr string, p crm.Principal) (string, []any, error) {
	return where(tx, alias, ws, schema, expr, p)
}

// FirstPageTotal is the total shown next to a first page of n rows (more:
// there is a next page): free and exact when the page holds every match,
// else counted up to the cap within the count budget, and never less than
// the page and the row that proved there is more.
// key names the list for the cache of counts that ran out of budget
// (CountKey).
func FirstPageTotal(tx *store.Tx, key, table, alias, clause string, args []any, n int, more bool) (int, bool, error) {
	return firstPageTotal(tx, key, table, alias, clause, args, n, more)
}

// ClampLimit bounds a page size to 1..MaxLimit (0 means 50).
func ClampLimit(n int) int { return clampLimit(n) }

// FilterFields is the filter language's view of custom field definitions.
func FilterFields(defs []FieldDef) []filter.Field { return customFilterFields(defs) }
