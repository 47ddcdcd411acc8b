package privacy

import (
	"strings"

	"github.com/tandemcrm/tandem/internal/crm"
	"github.com/tandemcrm/tandem/internal/store"
)

// countMentions counts the rows of table in s's workspace (and matching the
// extra condition, when given) whose cols contain one of s's identifiers.
func countMentions(tx *store.Tx, s *Subject, table, extra string, extraArgs []any, cols ...string) (int, error) {
	cond, args := s.mentions(cols...)
	q := `SELECT COUNT(*) FROM ` + table + ` WHERE workspace_id = ? AND ` + cond
	all := append([]any{s.WorkspaceID}, args...)
	if extra != "" {
		q += ` AND ` + extra
		all = append(all, extraArgs...)
	}
	return count(tx, q, all...)
}

// scrubRows redacts s's identifiers in cols of every row of table (keyed by
// id) in s's workspace that mentions them, and returns how many rows changed.
// JSON documents are scrubbed value by value so they stay valid.
func scrubRows(tx *store.Tx, s *Subject, table string, cols ...string) (int, error) {
	cond, args := s.mentions(cols...)
	sel := make([]string, len(cols))
	set := make([]string, len(cols))
	for i, c := range cols {
		sel[i] = `CAST(` + c + ` AS TEXT)`
		set[i] = c + ` = ?`
	}
	rows, err := tx.Query(`SELECT id, `+strings.Join(sel, ", ")+` FROM `+table+` WHERE workspace_id = ? AND `+cond,
		append([]any{s.WorkspaceID}, args...)...)
	if err != nil {
		return 0, err
	}
	type change struct {
		id   crm.ID
		vals []any
	}
	var changes []change
	for rows.Next() {
		vals := make([]string, len(cols))
		dest := []any{new(crm.ID)}
		for i := range vals {
			dest = append(dest, &vals[i])
		}
		if err := rows.Scan(dest...); err != nil {
			rows.Close()
			return 0, err
		}
		c := change{id: *dest[0].(*crm.ID)}
		for _, v := range vals {
			if strings.HasPrefix(v, "{") || strings.HasPrefix(v, "[") {
				c.vals = append(c.vals, s.ScrubJSON(v))
			} else {
				c.vals = append(c.vals, s.Scrub(v))
			}
		}
		changes = append(changes, c)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return 0, err
	}
	for _, c := range changes {
		if _, err := tx.Exec(`UPDATE `+table+` SET `+strings.Join(set, ", ")+` WHERE workspace_id = ? AND id = ?`,
			append(c.vals, s.WorkspaceID, c.id)...); err != nil {
			return 0, err
		}
	}
	return len(changes), nil
}

// inList is "(?, ?, …)" for vals, or "(”)" when empty.
func inList(vals []string) (string, []any) {
	if len(vals) == 0 {
		return "('')", nil // matches nothing: no stored address is empty
	}
	args := make([]any, len(vals))
	for i, v := range vals {
		args[i] = v
	}
	return "(" + strings.TrimSuffix(strings.Repeat("?, ", len(vals)), ", ") + ")", args
}
