package store

import (
	"encoding/json"
	"fmt"

	"github.com/tandemcrm/tandem/internal/crm"
)

// Emit writes one event in this transaction. Every create, update and delete
// of a record calls it, so the event exists exactly when the change does.
func (tx *Tx) Emit(ev crm.Event) error {
	if ev.WorkspaceID == 0 || ev.ObjectType == "" || ev.Action == "" {
		return fmt.Errorf("store: emit: event needs a workspace, an object type and an action")
	}
	changes := []byte("{}")
	if len(ev.Changes) > 0 {
		var err error
		if changes, err = json.Marshal(ev.Changes); err != nil {
			return fmt.Errorf("store: emit: encode changes: %w", err)
		}
	}
	if ev.RequestID == "" {
		ev.RequestID = crm.RequestID(tx.ctx)
	}
	_, err := tx.Exec(`INSERT INTO events
		(id, workspace_id, at, actor_type, actor_id, object_type, object_id, action, changes, request_id)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		tx.NewID(), ev.WorkspaceID, Micros(tx.Now), ev.Actor.Type, int64(ev.Actor.ID),
		ev.ObjectType, int64(ev.ObjectID), string(ev.Action), string(changes), ev.RequestID)
	if err != nil {
		return fmt.Errorf("store: emit %s %s: %w", ev.ObjectType, ev.Action, err)
	}
	for _, h := range tx.db.hooks {
		if err := h.fn(tx, ev); err != nil {
			return fmt.Errorf("store: emit %s %s: %s: %w", ev.ObjectType, ev.Action, h.name, err)
		}
	}
	return nil
}

// EmitHook sees every event in the transaction that emits it.
type EmitHook func(tx *Tx, ev crm.Event) error

type namedHook struct {
	name string
	fn   EmitHook
}

// OnEmit makes fn see every event emitted through db from now on, in the
// emitting transaction (an error rolls it back). The audit log hooks in here,
// so a change to personal data is logged by construction. Installing under a
// name already taken replaces that hook. Call it while setting up, before
// db is shared between goroutines.
func (db *DB) OnEmit(name string, fn EmitHook) {
	for i := range db.hooks {
		if db.hooks[i].name == name {
			db.hooks[i].fn = fn
			return
		}
	}
	db.hooks = append(db.hooks, namedHook{name, fn})
}

// Events returns the events of one object, newest first, at most limit.
func (tx *Tx) Events(ws crm.ID, objectType string, id crm.ID, limit int) ([]crm.Event, error) {
	rows, err := tx.Query(`SELECT id, at, actor_type, actor_id, action, changes, request_id FROM events
		WHERE workspace_id = ? AND object_type = ? AND object_id = ? ORDER BY id DESC LIMIT ?`,
		ws, objectType, id, limit)
	if err != nil {
		return nil, fmt.Errorf("store: events: %w", err)
	}
	defer rows.Close()
	var out []crm.Event
	for rows.Next() {
		ev := crm.Event{WorkspaceID: ws, ObjectType: objectType, ObjectID: id}
		var at int64
		var changes string
		var action string
		if err := rows.Scan(&ev.ID, &at, &ev.Actor.Type, &ev.Actor.ID, &action, &changes, &ev.RequestID); err != nil {
			return nil, err
		}
		ev.At, ev.Action = FromMicros(at), crm.Action(action)
		if err := json.Unmarshal([]byte(changes), &ev.Changes); err != nil {
			return nil, fmt.Errorf("store: event %d: %w", ev.ID, err)
		}
		out = append(out, ev)
	}
	return out, rows.Err()
}
