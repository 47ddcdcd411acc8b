package activities

import (
	"errors"
	"time"

	"github.com/tandemcrm/tandem/internal/crm"
	"github.com/tandemcrm/tandem/internal/store"
)

// Zone returns the time zone p sees times in: their own, else their
// workspace's, else UTC. A name the system does not know reads as UTC.
func Zone(tx *store.Tx, p crm.Principal) (*time.Location, error) {
	var mine, ws string
	err := tx.QueryRow(`SELECT u.time_zone, w.time_zone FROM users u JOIN memberships m ON m.user_id = u.id
		JOIN workspaces w ON w.id = m.workspace_id WHERE m.workspace_id = ? AND u.id = ?`, p.WorkspaceID, p.UserID).Scan(&mine, &ws)
	if errors.Is(err, store.ErrNoRows) {
		return time.UTC, nil
	} else if err != nil {
		return nil, err
	}
	for _, name := range []string{mine, ws} {
		if name == "" {
			continue
		}
		if loc, err := time.LoadLocation(name); err == nil {
			return loc, nil
		}
	}
	return time.UTC, nil
}

// ZoneName is the name of the user's own zone ("" when they follow the
// workspace's).
func ZoneName(tx *store.Tx, user crm.ID) (string, error) {
	var name string
	err := tx.QueryRow(`SELECT time_zone FROM users WHERE id = ?`, user).Scan(&name)
	return name, err
}

// SetZone sets the user's own time zone ("" follows the workspace's).
func SetZone(tx *store.Tx, p crm.Principal, name string) error {
	if name != "" {
		if _, err := time.LoadLocation(name); err != nil || name == "Local" {
			return (crm.FieldErrors{"time_zone": "Choose a time zone such as Europe/Berlin or America/New_York."}).Err()
		}
	}
	_, err := tx.Exec(`UPDATE users SET time_zone = ?, updated_at = ? WHERE id = ?`, name, store.Micros(tx.Now), p.UserID)
	return err
}

// SetWorkspaceZone sets the workspace's default time zone (admins).
func SetWorkspaceZone(tx *store.Tx, p crm.Principal, name string) error {
	if p.Role.Rank() < crm.RoleAdmin.Rank() {
		return crm.Errorf(crm.Forbidden, "Only owners and admins change workspace settings.")
	}
	if _, err := time.LoadLocation(name); err != nil || name == "" || name == "Local" {
		return (crm.FieldErrors{"time_zone": "Choose a time zone such as Europe/Berlin or America/New_York."}).Err()
	}
	_, err := tx.Exec(`UPDATE workspaces SET time_zone = ?, updated_at = ? WHERE id = ?`, name, store.Micros(tx.Now), p.WorkspaceID)
	return err
}
