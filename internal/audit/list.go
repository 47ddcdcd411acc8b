package audit

import (
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/tandemcrm/tandem/internal/crm"
	"github.com/tandemcrm/tandem/internal/store"
)

// Filter narrows List; zero fields do not filter.
type Filter struct {
	Action     string
	Actor      crm.Actor // Type alone filters by kind of actor
	ObjectType string
	ObjectID   crm.ID
	Since      time.Time // inclusive
	Until      time.Time // exclusive
}

// MaxList caps one page of List.
const MaxList = 500

// List returns a workspace's entries newest first, at most limit. cursor is
// 0 for the first page, then the next value List returned; next is 0 when
// there is nothing more. Keyset paging on seq keeps pages stable while new
// entries arrive.
func List(tx *store.Tx, ws crm.ID, f Filter, limit int, cursor int64) (entries []Entry, next int64, err error) {
	limit = min(max(limit, 1), MaxList)
	where, args := f.where(ws, cursor)
	rows, err := tx.Query(selectRow+` WHERE `+where+` ORDER BY seq DESC LIMIT ?`, append(args, limit+1)...)
	if err != nil {
		return nil, 0, fmt.Errorf("audit: list: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var r row
		if err := scanRow(rows, &r); err != nil {
			return nil, 0, fmt.Errorf("audit: list: %w", err)
		}
		e, err := r.entry()
		if err != nil {
			return nil, 0, err
		}
		entries = append(entries, e)
	}
	if err := rows.Err(); err != nil {
		return nil, 0, fmt.Errorf("audit: list: %w", err)
	}
	if len(entries) > limit {
		entries = entries[:limit]
		next = entries[limit-1].Seq
	}
	return entries, next, nil
}

func (f Filter) where(ws crm.ID, cursor int64) (string, []any) {
	conds := []string{"workspace_id = ?"}
	args := []any{ws}
	add := func(cond string, v any) {
		conds = append(conds, cond)
		args = append(args, v)
	}
	if cursor > 0 {
		add("seq < ?", cursor)
	}
	if f.Action != "" {
		add("action = ?", f.Action)
	}
	if f.Actor.Type != "" {
		add("actor_type = ?", f.Actor.Type)
	}
	if f.Actor.ID != 0 {
		add("actor_id = ?", f.Actor.ID)
	}
	if f.ObjectType != "" {
		add("object_type = ?", f.ObjectType)
	}
	if f.ObjectID != 0 {
		add("object_id = ?", f.ObjectID)
	}
	if !f.Since.IsZero() {
		add("at >= ?", store.Micros(f.Since))
	}
	if !f.Until.IsZero() {
		add("at < ?", store.Micros(f.Until))
	}
	return strings.Join(conds, " AND "), args
}

func (r *row) entry() (Entry, error) {
	e := Entry{
		ID: crm.ID(r.id), WorkspaceID: crm.ID(r.ws), Seq: r.seq, At: store.FromMicros(r.at),
		Actor:  crm.Actor{Type: r.actorType, ID: crm.ID(r.actorID)},
		Action: r.action, ObjectType: r.objectType, ObjectID: crm.ID(r.objectID),
		IP: r.ip, UserAgent: r.userAgent, Erased: r.pdSalt == "",
		PrevHash: r.prevHash, Hash: r.hash,
	}
	if err := json.Unmarshal([]byte(r.details), &e.Details); err != nil {
		return e, fmt.Errorf("audit: entry %d details: %w", r.id, err)
	}
	return e, nil
}
