package privacy

import (
	"slices"
	"sort"
	"strings"

	"github.com/tandemcrm/tandem/internal/store"
)

// SchemaTables lists the tables of the migrated schema: on SQLite without
// SQLite's own tables and the shadow tables behind FTS5 virtual tables (they
// hold the virtual table's data, which its kind already covers), and
// without an FTS5 table named after a table it indexes (search_index_fts
// holds search_index's trigrams: search_index's kind covers it).
func SchemaTables(tx *store.Tx) ([]string, error) {
	q := `SELECT table_name, '' FROM information_schema.tables WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'`
	if tx.Dialect() == store.SQLite {
		q = `SELECT name, COALESCE(sql, '') FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite!_%' ESCAPE '!'`
	}
	rows, err := tx.Query(q)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var names, virtual []string
	for rows.Next() {
		var name, sql string
		if err := rows.Scan(&name, &sql); err != nil {
			return nil, err
		}
		names = append(names, name)
		if strings.HasPrefix(strings.ToUpper(sql), "CREATE VIRTUAL TABLE") {
			virtual = append(virtual, name)
		}
	}
	var out []string
	for _, n := range names {
		shadow := false
		for _, v := range virtual {
			shadow = shadow || strings.HasPrefix(n, v+"_")
		}
		index := false
		if base, ok := strings.CutSuffix(n, "_fts"); ok && slices.Contains(virtual, n) {
			index = slices.Contains(names, base)
		}
		if !shadow && !index {
			out = append(out, n)
		}
	}
	sort.Strings(out)
	return out, rows.Err()
}
