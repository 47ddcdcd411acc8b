package views

import (
	"fmt"

	"github.com/tandemcrm/tandem/internal/crm"
	"github.com/tandemcrm/tandem/internal/store"
)

// Member is a user of the workspace, as lists show owners.
type Member struct {
	ID   crm.ID
	Name string
}

// Members lists the workspace's users by name (for owner columns and
// pickers).
func Members(tx *store.Tx, ws crm.ID) ([]Member, error) {
	rows, err := tx.Query(`SELECT u.id, u.name FROM users u JOIN memberships m ON m.user_id = u.id
		WHERE m.workspace_id = ? ORDER BY u.name, u.id`, ws)
	if err != nil {
		return nil, fmt.Errorf("views: members: %w", err)
	}
	defer rows.Close()
	var out []Member
	for rows.Next() {
		var m Member
		if err := rows.Scan(&m.ID, &m.Name); err != nil {
			return nil, err
		}
		out = append(out, m)
	}
	return out, rows.Err()
}
