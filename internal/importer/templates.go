package importer

import (
	"encoding/json"
	"errors"
	"strings"

	"github.com/tandemcrm/tandem/internal/account"
	"github.com/tandemcrm/tandem/internal/crm"
	"github.com/tandemcrm/tandem/internal/store"
)

// SavedTemplate is a mapping template kept in the workspace under a name.
type SavedTemplate struct {
	ID       crm.ID
	Name     string
	Template Template
}

// SaveTemplate stores t under name for its kind, replacing a template of
// the same kind and name. Any member who may import may save templates.
func SaveTemplate(tx *store.Tx, p crm.Principal, name string, t Template) (SavedTemplate, error) {
	if err := account.Can(tx, p, account.ActCreate, p.UserID); err != nil {
		return SavedTemplate{}, err
	}
	name = strings.TrimSpace(name)
	fe := crm.FieldErrors{}
	if name == "" || len(name) > 100 {
		fe.Add("name", "Name the template (up to 100 characters).")
	}
	if _, err := KindNamed(t.Kind); err != nil {
		fe.Add("template.kind", crm.ErrorMessage(err))
	}
	if len(t.Columns) == 0 || len(t.Columns) > 20_000 {
		fe.Add("template.columns", "A template maps between 1 and 20,000 columns.")
	}
	if err := fe.Err(); err != nil {
		return SavedTemplate{}, err
	}
	body, _ := json.Marshal(t)
	st := SavedTemplate{ID: tx.NewID(), Name: name, Template: t}
	now := store.Micros(tx.Now)
	_, err := tx.Exec(`INSERT INTO import_templates (id, workspace_id, kind, name, body, created_by, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (workspace_id, kind, name) DO UPDATE SET body = excluded.body, updated_at = excluded.updated_at`,
		st.ID, p.WorkspaceID, t.Kind, name, string(body), p.UserID, now, now)
	if err != nil {
		return st, errf("save template: %w", err)
	}
	err = tx.QueryRow(`SELECT id FROM import_templates WHERE workspace_id = ? AND kind = ? AND name = ?`, p.WorkspaceID, t.Kind, name).Scan(&st.ID)
	return st, err
}

// Templates lists the workspace's saved templates of a kind ("" for all), by name.
func Templates(tx *store.Tx, p crm.Principal, kind string) ([]SavedTemplate, error) {
	q, args := `SELECT id, name, body FROM import_templates WHERE workspace_id = ?`, []any{p.WorkspaceID}
	if kind != "" {
		q += ` AND kind = ?`
		args = append(args, kind)
	}
	rows, err := tx.Query(q+` ORDER BY name, id`, args...)
	if err != nil {
		return nil, errf("templates: %w", err)
	}
	defer rows.Close()
	out := []SavedTemplate{}
	for rows.Next() {
		var st SavedTemplate
		var body string
		if err := rows.Scan(&st.ID, &st.Name, &body); err != nil {
			return nil, err
		}
		if err := json.Unmarshal([]byte(body), &st.Template); err != nil {
			return nil, errf("template %d: %w", st.ID, err)
		}
		out = append(out, st)
	}
	return out, rows.Err()
}

// GetTemplate returns one saved template of the workspace.
func GetTemplate(tx *store.Tx, p crm.Principal, id crm.ID) (SavedTemplate, error) {
	var st SavedTemplate
	var body string
	err := tx.QueryRow(`SELECT id, name, body FROM import_templates WHERE workspace_id = ? AND id = ?`, p.WorkspaceID, id).Scan(&st.ID, &st.Name, &body)
	if errors.Is(err, store.ErrNoRows) {
		return st, crm.Errorf(crm.NotFound, "No such template.")
	}
	if err != nil {
		return st, err
	}
	return st, json.Unmarshal([]byte(body), &st.Template)
}

// DeleteTemplate removes a saved template.
func DeleteTemplate(tx *store.Tx, p crm.Principal, id crm.ID) error {
	if err := account.Can(tx, p, account.ActCreate, p.UserID); err != nil {
		return err
	}
	n, err := tx.Exec(`DELETE FROM import_templates WHERE workspace_id = ? AND id = ?`, p.WorkspaceID, id)
	if err == nil && n == 0 {
		return crm.Errorf(crm.NotFound, "No such template.")
	}
	return err
}
