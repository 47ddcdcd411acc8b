package records

import (
	"encoding/json"
	"fmt"

	"github.com/tandemcrm/tandem/internal/account"
	"github.com/tandemcrm/tandem/internal/crm"
	"github.com/tandemcrm/tandem/internal/store"
)

// Package activities writes a line about an activity on each record it
// concerns ({"activity": {"after": {"id": …, "title": …}}}). Those lines
// repeat the activity's title, so a viewer sees them only when they may see
// the activity itself: the rule activities.View applies to its owner. The
// check is part of each timeline statement, so a page still holds limit
// lines the viewer may see.

// eventCols are the columns scanEvent reads, from events e.
const eventCols = `e.id, e.at, e.actor_type, e.actor_id, e.action, e.changes, e.request_id, e.object_type, e.object_id`

// activityScope is a condition on events e that leaves out the activity
// lines of activities p may not see; "" when p sees every activity. The
// owner rule holds for a trashed activity too (its "deleted" line stays
// with those who saw it); a line whose activity is gone is left out.
func activityScope(tx *store.Tx, p crm.Principal) (string, []any, error) {
	vis, args, err := account.VisibilityClause(tx, p, "a.owner_id")
	if err != nil || vis == "" {
		return "", nil, err
	}
	return activityScopeSQL(tx.Dialect(), vis), args, nil
}

// activityScopeSQL keeps the events e that are no activity line or one
// about an activity a that vis (on a.owner_id) lets through.
func activityScopeSQL(d store.Dialect, vis string) string {
	id := activityID(d)
	return `(` + id + ` IS NULL OR EXISTS (SELECT 1 FROM activities a
		WHERE a.workspace_id = e.workspace_id AND a.id = ` + id + ` AND ` + vis + `))`
}

// activityID reads the activity an event's line is about, NULL for any
// other event. Events keep their changes as JSON text in both dialects.
func activityID(d store.Dialect) string {
	if d == store.Postgres {
		return `CAST(CAST(e.changes AS json) #>> '{activity,after,id}' AS BIGINT)`
	}
	return `CAST(json_extract(e.changes, '$.activity.after.id') AS INTEGER)`
}

// recordEvents returns a record's newest events that p may see, at most
// limit: the events_object index read backwards, each row checked by
// activityScope.
func recordEvents(tx *store.Tx, p crm.Principal, objectType string, id crm.ID, limit int) ([]crm.Event, error) {
	scope, sargs, err := activityScope(tx, p)
	if err != nil {
		return nil, err
	}
	rows, err := tx.Query(recordEventsSQL(scope), append(append([]any{p.WorkspaceID, objectType, id}, sargs...), limit)...)
	if err != nil {
		return nil, fmt.Errorf("records: events of %s %d: %w", objectType, id, err)
	}
	defer rows.Close()
	var out []crm.Event
	for rows.Next() {
		ev, err := scanEvent(rows, p.WorkspaceID)
		if err != nil {
			return nil, err
		}
		out = append(out, ev)
	}
	return out, rows.Err()
}

func recordEventsSQL(scope string) string {
	q := `SELECT ` + eventCols + ` FROM events e WHERE e.workspace_id = ? AND e.object_type = ? AND e.object_id = ?`
	if scope != "" {
		q += ` AND ` + scope
	}
	return q + ` ORDER BY e.id DESC LIMIT ?`
}

// scanEvent reads eventCols and then extra.
func scanEvent(rows *store.Rows, ws crm.ID, extra ...any) (crm.Event, error) {
	ev := crm.Event{WorkspaceID: ws}
	var at int64
	var changes, action string
	dest := append([]any{&ev.ID, &at, &ev.Actor.Type, &ev.Actor.ID, &action, &changes, &ev.RequestID, &ev.ObjectType, &ev.ObjectID}, extra...)
	if err := rows.Scan(dest...); err != nil {
		return ev, err
	}
	ev.At, ev.Action = store.FromMicros(at), crm.Action(action)
	if err := json.Unmarshal([]byte(changes), &ev.Changes); err != nil {
		return ev, fmt.Errorf("records: event %d: %w", ev.ID, err)
	}
	return ev, nil
}
