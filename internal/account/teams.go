package account

import (
	"errors"
	"fmt"
	"strings"

	"github.com/tandemcrm/tandem/internal/crm"
	"github.com/tandemcrm/tandem/internal/store"
)

// Visibility is who sees which records. Owners and admins see everything;
// a manager sees the records of the teams they manage and their own; members
// and read-only users see per the workspace's rule: their own records, their
// teams' records, or all (the default — small teams usually share everything).
type Visibility string

// The visibility rules for members and read-only users.
const (
	SeeOwn  Visibility = "own"
	SeeTeam Visibility = "team"
	SeeAll  Visibility = "all"
)

// Team is a group of members with a manager.
type Team struct {
	ID        crm.ID
	Name      string
	ManagerID crm.ID
	Members   []crm.ID
}

// CreateTeam makes a team; owners and admins only.
func CreateTeam(tx *store.Tx, p crm.Principal, name string, manager crm.ID) (Team, error) {
	if p.Role.Rank() < crm.RoleAdmin.Rank() {
		return Team{}, crm.Errorf(crm.Forbidden, "Only owners and admins manage teams.")
	}
	t := Team{ID: tx.NewID(), Name: strings.TrimSpace(name), ManagerID: manager}
	if t.Name == "" || len(t.Name) > 80 {
		return t, (crm.FieldErrors{"name": "Name the team (up to 80 characters)."}).Err()
	}
	if manager != 0 {
		if _, err := memberRole(tx, p.WorkspaceID, manager); err != nil {
			return t, (crm.FieldErrors{"manager_id": "The manager must be an active member."}).Err()
		}
	}
	_, err := tx.Exec(`INSERT INTO teams (id, workspace_id, name, manager_id, created_at) VALUES (?, ?, ?, ?, ?)`,
		t.ID, p.WorkspaceID, t.Name, manager, store.Micros(tx.Now))
	if crm.ErrorCode(err) == crm.Conflict {
		return t, (crm.FieldErrors{"name": "A team with this name exists."}).Err()
	}
	if err != nil {
		return t, fmt.Errorf("account: create team: %w", err)
	}
	return t, tx.Emit(crm.Event{WorkspaceID: p.WorkspaceID, Actor: p.Actor(), ObjectType: "team", ObjectID: t.ID,
		Action: crm.Created, Changes: map[string]crm.Change{"name": {After: t.Name}}})
}

// AddToTeam puts a member in a team.
func AddToTeam(tx *store.Tx, p crm.Principal, team, user crm.ID) error {
	if p.Role.Rank() < crm.RoleAdmin.Rank() {
		return crm.Errorf(crm.Forbidden, "Only owners and admins manage teams.")
	}
	var one int
	if err := tx.QueryRow(`SELECT 1 FROM teams WHERE workspace_id = ? AND id = ?`, p.WorkspaceID, team).Scan(&one); errors.Is(err, store.ErrNoRows) {
		return crm.Errorf(crm.NotFound, "No such team.")
	} else if err != nil {
		return err
	}
	if _, err := memberRole(tx, p.WorkspaceID, user); err != nil {
		return err
	}
	_, err := tx.Exec(`INSERT INTO team_members (workspace_id, team_id, user_id) VALUES (?, ?, ?) ON CONFLICT DO NOTHING`,
		p.WorkspaceID, team, user)
	return err
}

// SetMemberVisibility sets what members and read-only users see.
func SetMemberVisibility(tx *store.Tx, p crm.Principal, v Visibility) error {
	if p.Role.Rank() < crm.RoleAdmin.Rank() {
		return crm.Errorf(crm.Forbidden, "Only owners and admins set record visibility.")
	}
	if v != SeeOwn && v != SeeTeam && v != SeeAll {
		return (crm.FieldErrors{"visibility": "Choose own, team or all."}).Err()
	}
	_, err := tx.Exec(`UPDATE workspaces SET member_visibility = ? WHERE id = ?`, string(v), p.WorkspaceID)
	return err
}

// VisibilityClause is the one rule the UI, the API, exports, search and
// webhooks apply to records with an owner: a parameterised condition on
// ownerColumn (e.g. "c.owner_id") to AND into a query, or "" when the
// principal sees everything.
func VisibilityClause(tx *store.Tx, p crm.Principal, ownerColumn string) (string, []any, error) {
	if p.Role.Rank() >= crm.RoleAdmin.Rank() {
		return "", nil, nil
	}
	var rule string
	if err := tx.QueryRow(`SELECT member_visibility FROM workspaces WHERE id = ?`, p.WorkspaceID).Scan(&rule); err != nil {
		return "", nil, fmt.Errorf("account: visibility: %w", err)
	}
	managed := `SELECT tm.user_id FROM team_members tm JOIN teams t ON t.workspace_id = tm.workspace_id AND t.id = tm.team_id
		WHERE t.workspace_id = ? AND t.manager_id = ?`
	mine := `SELECT tm.user_id FROM team_members tm WHERE tm.workspace_id = ? AND tm.team_id IN
		(SELECT team_id FROM team_members WHERE workspace_id = ? AND user_id = ?)`
	switch {
	case Visibility(rule) == SeeAll:
		return "", nil, nil
	case p.Role == crm.RoleManager && Visibility(rule) == SeeTeam:
		// A manager never sees less than a member would: the teams they
		// manage and the teams they belong to.
		return "(" + ownerColumn + " = ? OR " + ownerColumn + " IN (" + managed + ") OR " + ownerColumn + " IN (" + mine + "))",
			[]any{p.UserID, p.WorkspaceID, p.UserID, p.WorkspaceID, p.WorkspaceID, p.UserID}, nil
	case p.Role == crm.RoleManager:
		return "(" + ownerColumn + " = ? OR " + ownerColumn + " IN (" + managed + "))",
			[]any{p.UserID, p.WorkspaceID, p.UserID}, nil
	case Visibility(rule) == SeeTeam:
		return "(" + ownerColumn + " = ? OR " + ownerColumn + " IN (" + mine + "))",
			[]any{p.UserID, p.WorkspaceID, p.WorkspaceID, p.UserID}, nil
	}
	return ownerColumn + " = ?", []any{p.UserID}, nil
}

// ListTeams returns the workspace's teams with their members.
func ListTeams(tx *store.Tx, ws crm.ID) ([]Team, error) {
	rows, err := tx.Query(`SELECT t.id, t.name, t.manager_id, tm.user_id FROM teams t
		LEFT JOIN team_members tm ON tm.workspace_id = t.workspace_id AND tm.team_id = t.id
		WHERE t.workspace_id = ? ORDER BY t.name, t.id`, ws)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Team
	for rows.Next() {
		var id, manager crm.ID
		var name string
		var member *int64
		if err := rows.Scan(&id, &name, &manager, &member); err != nil {
			return nil, err
		}
		if len(out) == 0 || out[len(out)-1].ID != id {
			out = append(out, Team{ID: id, Name: name, ManagerID: manager})
		}
		if member != nil {
			out[len(out)-1].Members = append(out[len(out)-1].Members, crm.ID(*member))
		}
	}
	return out, rows.Err()
}

// MemberVisibility reads the workspace's rule.
func MemberVisibility(tx *store.Tx, ws crm.ID) (Visibility, error) {
	var v string
	err := tx.QueryRow(`SELECT member_visibility FROM workspaces WHERE id = ?`, ws).Scan(&v)
	return Visibility(v), err
}
