package consent

import (
	"fmt"
	"slices"
	"time"

	"github.com/tandemcrm/tandem/internal/crm"
	"github.com/tandemcrm/tandem/internal/store"
)

// Suppression is one entry of the list as anyone may see it: never the value.
type Suppression struct {
	ID        crm.ID
	Kind      Kind
	Reason    string
	Actor     crm.Actor
	CreatedAt time.Time
}

// Suppress adds value to the workspace's suppression list. It is idempotent:
// suppressing a value already on the list changes nothing (the first reason
// stays) and is not an error. Only the keyed hash of the normalised value is
// stored.
func Suppress(tx *store.Tx, ws crm.ID, kind Kind, value, reason string, actor crm.Actor) error {
	norm, err := Normalize(kind, value)
	if err != nil {
		return err
	}
	if !slices.Contains(Reasons, reason) {
		return invalid("reason", "Choose a reason: unsubscribed, erased, bounced or manual.")
	}
	h, err := hashOf(ws, kind, norm)
	if err != nil {
		return err
	}
	id := tx.NewID()
	n, err := tx.Exec(`INSERT INTO suppressions (id, workspace_id, kind, hash, reason, actor_type, actor_id, created_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (workspace_id, kind, hash) DO NOTHING`,
		id, ws, string(kind), h, reason, actorType(actor), actor.ID, store.Micros(tx.Now))
	if err != nil {
		return fmt.Errorf("consent: suppress: %w", err)
	}
	if n == 0 {
		return nil
	}
	return tx.Emit(crm.Event{WorkspaceID: ws, Actor: actor, ObjectType: "suppression", ObjectID: id, Action: crm.Created,
		Changes: map[string]crm.Change{"kind": {After: string(kind)}, "reason": {After: reason}}})
}

// Suppressed reports whether value is on the workspace's suppression list.
// A value that is not a valid identifier of its kind is an invalid error.
func Suppressed(tx *store.Tx, ws crm.ID, kind Kind, value string) (bool, error) {
	_, ok, err := find(tx, ws, kind, value)
	return ok, err
}

func find(tx *store.Tx, ws crm.ID, kind Kind, value string) (Suppression, bool, error) {
	norm, err := Normalize(kind, value)
	if err != nil {
		return Suppression{}, false, err
	}
	h, err := hashOf(ws, kind, norm)
	if err != nil {
		return Suppression{}, false, err
	}
	s := Suppression{Kind: kind}
	var at int64
	err = tx.QueryRow(`SELECT id, reason, actor_type, actor_id, created_at FROM suppressions
		WHERE workspace_id = ? AND kind = ? AND hash = ?`, ws, string(kind), h).
		Scan(&s.ID, &s.Reason, &s.Actor.Type, &s.Actor.ID, &at)
	if err == store.ErrNoRows {
		return Suppression{}, false, nil
	}
	if err != nil {
		return Suppression{}, false, fmt.Errorf("consent: find suppression: %w", err)
	}
	s.CreatedAt = store.FromMicros(at)
	return s, true, nil
}

// Unsuppress removes value from the list; a value not on it is not found.
func Unsuppress(tx *store.Tx, ws crm.ID, kind Kind, value string, actor crm.Actor) error {
	s, ok, err := find(tx, ws, kind, value)
	if err != nil {
		return err
	}
	if !ok {
		return crm.Errorf(crm.NotFound, "That %s is not on the suppression list.", kind)
	}
	if _, err := tx.Exec(`DELETE FROM suppressions WHERE workspace_id = ? AND id = ?`, ws, s.ID); err != nil {
		return fmt.Errorf("consent: unsuppress: %w", err)
	}
	return tx.Emit(crm.Event{WorkspaceID: ws, Actor: actor, ObjectType: "suppression", ObjectID: s.ID, Action: crm.Deleted,
		Changes: map[string]crm.Change{"kind": {Before: string(kind)}, "reason": {Before: s.Reason}}})
}

// ListSuppressions returns the list newest first, after the id before (0
// for the first page), at most limit entries, optionally of one kind.
func ListSuppressions(tx *store.Tx, ws crm.ID, kind Kind, before crm.ID, limit int) ([]Suppression, error) {
	if limit <= 0 || limit > 500 {
		limit = 100
	}
	if before == 0 {
		before = crm.ID(1<<63 - 1)
	}
	rows, err := tx.Query(`SELECT id, kind, reason, actor_type, actor_id, created_at FROM suppressions
		WHERE workspace_id = ? AND id < ? AND (? = '' OR kind = ?) ORDER BY id DESC LIMIT ?`,
		ws, before, string(kind), string(kind), limit)
	if err != nil {
		return nil, fmt.Errorf("consent: list suppressions: %w", err)
	}
	defer rows.Close()
	var out []Suppression
	for rows.Next() {
		var s Suppression
		var k string
		var at int64
		if err := rows.Scan(&s.ID, &k, &s.Reason, &s.Actor.Type, &s.Actor.ID, &at); err != nil {
			return nil, err
		}
		s.Kind, s.CreatedAt = Kind(k), store.FromMicros(at)
		out = append(out, s)
	}
	return out, rows.Err()
}

func actorType(a crm.Actor) string {
	if a.Type == "" {
		return "system"
	}
	return a.Type
}

// Lookup returns the entry for value if it is on the list.
func Lookup(tx *store.Tx, ws crm.ID, kind Kind, value string) (Suppression, bool, error) {
	return find(tx, ws, kind, value)
}
