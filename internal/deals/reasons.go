package deals

import (
	"fmt"

	"github.com/tandemcrm/tandem/internal/account"
	"github.com/tandemcrm/tandem/internal/crm"
	"github.com/tandemcrm/tandem/internal/store"
)

// LostReason is one entry of the list a lost deal's reason is chosen from.
type LostReason struct {
	ID       crm.ID
	Name     string
	Position int
	Version  int64
}

// ListLostReasons returns the workspace's lost reasons in order.
func ListLostReasons(tx *store.Tx, ws crm.ID) ([]LostReason, error) {
	rows, err := tx.Query(`SELECT id, name, position, version FROM lost_reasons WHERE workspace_id = ? ORDER BY position, id`, ws)
	if err != nil {
		return nil, fmt.Errorf("deals: lost reasons: %w", err)
	}
	defer rows.Close()
	var out []LostReason
	for rows.Next() {
		var r LostReason
		if err := rows.Scan(&r.ID, &r.Name, &r.Position, &r.Version); err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

func getLostReason(tx *store.Tx, ws, id crm.ID) (LostReason, error) {
	rs, err := ListLostReasons(tx, ws)
	for _, r := range rs {
		if r.ID == id {
			return r, err
		}
	}
	if err == nil {
		err = crm.Errorf(crm.NotFound, "No such lost reason.")
	}
	return LostReason{}, err
}

// CreateLostReason adds a reason at the end of the list. Admins only.
func CreateLostReason(tx *store.Tx, p crm.Principal, name string) (LostReason, error) {
	if err := account.Can(tx, p, account.ActAdmin, 0); err != nil {
		return LostReason{}, err
	}
	if err := lockList(tx, "lost_reasons", p.WorkspaceID); err != nil {
		return LostReason{}, err
	}
	fe := crm.FieldErrors{}
	r := LostReason{ID: tx.NewID(), Name: cleanName(fe, "name", name), Version: 1}
	if err := fe.Err(); err != nil {
		return r, err
	}
	if err := tx.QueryRow(`SELECT COALESCE(max(position), -1) + 1 FROM lost_reasons WHERE workspace_id = ?`, p.WorkspaceID).Scan(&r.Position); err != nil {
		return r, err
	}
	now := store.Micros(tx.Now)
	_, err := tx.Exec(`INSERT INTO lost_reasons (id, workspace_id, name, position, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)`,
		r.ID, p.WorkspaceID, r.Name, r.Position, now, now)
	if crm.ErrorCode(err) == crm.Conflict {
		return r, (crm.FieldErrors{"name": "This reason is already on the list."}).Err()
	} else if err != nil {
		return r, fmt.Errorf("deals: create lost reason: %w", err)
	}
	return r, tx.Emit(crm.Event{WorkspaceID: p.WorkspaceID, Actor: p.Actor(), ObjectType: "lost_reason", ObjectID: r.ID,
		Action: crm.Created, Changes: map[string]crm.Change{"name": {After: r.Name}}})
}

// UpdateLostReason is UpdateLostReasonIf without a version to check (the
// settings page sends none).
func UpdateLostReason(tx *store.Tx, p crm.Principal, id crm.ID, name *string, position *int) (LostReason, error) {
	return UpdateLostReasonIf(tx, p, id, name, position, 0)
}

// UpdateLostReasonIf renames a reason or moves it (0-based position). When
// ifVersion is not 0 it must equal the reason's version, else conflict.
// Deals lost for it keep the text they were lost with. Admins only.
func UpdateLostReasonIf(tx *store.Tx, p crm.Principal, id crm.ID, name *string, position *int, ifVersion int64) (LostReason, error) {
	if err := account.Can(tx, p, account.ActAdmin, 0); err != nil {
		return LostReason{}, err
	}
	if err := lockList(tx, "lost_reasons", p.WorkspaceID); err != nil {
		return LostReason{}, err
	}
	r, err := getLostReason(tx, p.WorkspaceID, id)
	if err != nil {
		return r, err
	}
	if err := checkVersion("lost reason", r.Version, ifVersion); err != nil {
		return r, err
	}
	version := r.Version
	ch := map[string]crm.Change{}
	if name != nil {
		fe := crm.FieldErrors{}
		n := cleanName(fe, "name", *name)
		if err := fe.Err(); err != nil {
			return r, err
		}
		if n != r.Name {
			ch["name"], r.Name = crm.Change{Before: r.Name, After: n}, n
		}
	}
	if position != nil && *position != r.Position {
		rs, err := ListLostReasons(tx, p.WorkspaceID)
		if err != nil {
			return r, err
		}
		var ids []crm.ID
		for _, x := range rs {
			if x.ID != id {
				ids = append(ids, x.ID)
			}
		}
		pos := max(0, min(*position, len(ids)))
		ids = append(ids[:pos], append([]crm.ID{id}, ids[pos:]...)...)
		for i, x := range ids {
			if _, err := tx.Exec(`UPDATE lost_reasons SET position = ?, version = version + 1 WHERE workspace_id = ? AND id = ? AND position <> ?`,
				i, p.WorkspaceID, x, i); err != nil {
				return r, err
			}
		}
		ch["position"], r.Position = crm.Change{Before: r.Position, After: pos}, pos
	}
	if len(ch) == 0 {
		return r, nil
	}
	r.Version = version + 1
	_, err = tx.Exec(`UPDATE lost_reasons SET name = ?, updated_at = ?, version = ? WHERE workspace_id = ? AND id = ?`,
		r.Name, store.Micros(tx.Now), r.Version, p.WorkspaceID, id)
	if crm.ErrorCode(err) == crm.Conflict {
		return r, (crm.FieldErrors{"name": "This reason is already on the list."}).Err()
	} else if err != nil {
		return r, err
	}
	return r, tx.Emit(crm.Event{WorkspaceID: p.WorkspaceID, Actor: p.Actor(), ObjectType: "lost_reason", ObjectID: id,
		Action: crm.Updated, Changes: ch})
}

// DeleteLostReason takes a reason off the list; lost deals keep their text.
// Admins only.
func DeleteLostReason(tx *store.Tx, p crm.Principal, id crm.ID) error {
	if err := account.Can(tx, p, account.ActAdmin, 0); err != nil {
		return err
	}
	if err := lockList(tx, "lost_reasons", p.WorkspaceID); err != nil {
		return err
	}
	r, err := getLostReason(tx, p.WorkspaceID, id)
	if err != nil {
		return err
	}
	if _, err := tx.Exec(`DELETE FROM lost_reasons WHERE workspace_id = ? AND id = ?`, p.WorkspaceID, id); err != nil {
		return err
	}
	return tx.Emit(crm.Event{WorkspaceID: p.WorkspaceID, Actor: p.Actor(), ObjectType: "lost_reason", ObjectID: id,
		Action: crm.Deleted, Changes: map[string]crm.Change{"name": {Before: r.Name}}})
}
