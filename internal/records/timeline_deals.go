package records

import (
	"fmt"
	"sort"
	"time"

	"github.com/tandemcrm/tandem/internal/account"
	"github.com/tandemcrm/tandem/internal/crm"
	"github.com/tandemcrm/tandem/internal/store"
)

// A deal's events also belong on the timelines of its contacts and its
// company: they are read here by the deal's current links (primary contact,
// other contacts, company), so moving a deal to another company moves its
// story with it. Deals the viewer may not see stay out.

type dealInfo struct {
	title, currency string
	prefix          bool // name the deal in each line (not on its own page)
}

// TimelineFor is Timeline for a viewer: a contact's or company's timeline
// also holds the events of the deals it is on that p may see, each line
// naming its deal; a deal's holds its line items' events; activity lines
// show only where p may see the activity.
func TimelineFor(tx *store.Tx, p crm.Principal, objectType string, id crm.ID, limit int) ([]Entry, error) {
	evs, err := recordEvents(tx, p, objectType, id, limit)
	if err != nil {
		return nil, err
	}
	switch objectType {
	case "deal":
		return dealTimeline(tx, p.WorkspaceID, id, evs, limit)
	case "contact", "company":
		more, info, err := dealEvents(tx, p, objectType, id, limit)
		if err != nil {
			return nil, err
		}
		return entries(tx, p.WorkspaceID, newest(once(append(evs, more...)), limit), info, nil)
	}
	return entries(tx, p.WorkspaceID, evs, nil, nil)
}

// dealTimeline adds to a deal's own events (evs) those of its line items.
func dealTimeline(tx *store.Tx, ws, id crm.ID, evs []crm.Event, limit int) ([]Entry, error) {
	var d dealInfo
	err := tx.QueryRow(`SELECT title, currency FROM deals WHERE workspace_id = ? AND id = ?`, ws, id).Scan(&d.title, &d.currency)
	if err == store.ErrNoRows {
		return entries(tx, ws, evs, nil, nil)
	} else if err != nil {
		return nil, fmt.Errorf("records: deal %d: %w", id, err)
	}
	items, info, err := itemEvents(tx, ws, id, d.currency, limit)
	if err != nil {
		return nil, err
	}
	return entries(tx, ws, newest(append(evs, items...), limit), map[crm.ID]dealInfo{id: d}, info)
}

// newest orders events newest first and keeps limit.
func newest(evs []crm.Event, limit int) []crm.Event {
	sort.Slice(evs, func(i, j int) bool { return evs[i].ID > evs[j].ID })
	return evs[:min(len(evs), limit)]
}

func dealEvents(tx *store.Tx, p crm.Principal, objectType string, id crm.ID, limit int) ([]crm.Event, map[crm.ID]dealInfo, error) {
	// The record's deals are found first (their own indexes), then each
	// one's events: written as a join ordered by event, SQLite walked every
	// event of the workspace newest first, looking up each one's deal, until
	// it had a page — a scan that grows with the workspace's history.
	var cond string
	args := []any{p.WorkspaceID, p.WorkspaceID}
	switch objectType {
	case "contact":
		cond = `(x.contact_id = ? OR x.id IN (SELECT dc.deal_id FROM deal_contacts dc WHERE dc.workspace_id = ? AND dc.contact_id = ?))`
		args = append(args, id, p.WorkspaceID, id)
	default:
		cond, args = `x.company_id = ?`, append(args, id)
	}
	vis, vargs, err := account.VisibilityClause(tx, p, "x.owner_id")
	if err != nil {
		return nil, nil, err
	}
	if vis != "" {
		cond += " AND " + vis
		args = append(args, vargs...)
	}
	scope, sargs, err := activityScope(tx, p)
	if err != nil {
		return nil, nil, err
	}
	rows, err := tx.Query(dealEventsSQL(cond, scope), append(append(args, sargs...), limit)...)
	if err != nil {
		return nil, nil, fmt.Errorf("records: deal events: %w", err)
	}
	defer rows.Close()
	var out []crm.Event
	info := map[crm.ID]dealInfo{}
	for rows.Next() {
		var di dealInfo
		ev, err := scanEvent(rows, p.WorkspaceID, &di.title, &di.currency)
		if err != nil {
			return nil, nil, err
		}
		di.prefix = true
		info[ev.ObjectID] = di
		out = append(out, ev)
	}
	return out, info, rows.Err()
}

// once keeps the first of the lines evs holds about the same change of an
// activity: one on a contact and on its deal writes a line on both, and the
// contact's timeline reads the deal's too. The record's own events come
// first in evs, so its line stays and the deal's copy goes. A page stays
// full: each copy dropped has its twin, written in the same transaction,
// right beside it in the order.
func once(evs []crm.Event) []crm.Event {
	seen := map[activityChange]bool{}
	out := evs[:0]
	for _, ev := range evs {
		if k, ok := activityKey(ev); ok {
			if seen[k] {
				continue
			}
			seen[k] = true
		}
		out = append(out, ev)
	}
	return out
}

// activityChange names one change of an activity: the lines written for it
// on each record share the transaction's time and say the same thing.
type activityChange struct {
	id, did string
	at      int64
}

func activityKey(ev crm.Event) (activityChange, bool) {
	m, ok := ev.Changes["activity"].After.(map[string]any)
	if !ok {
		return activityChange{}, false
	}
	id, _ := m["id"].(string)
	did, _ := m["did"].(string)
	return activityChange{id: id, did: did, at: ev.At.UnixMicro()}, id != ""
}

// readableDeal shows a deal event's money as money and times as dates.
func readableDeal(d dealInfo, ev crm.Event) crm.Event {
	ch := make(map[string]crm.Change, len(ev.Changes))
	for k, c := range ev.Changes {
		switch k {
		case "value", "items_net", "items_total":
			c = crm.Change{Before: money(c.Before, d.currency), After: money(c.After, d.currency)}
		case "closed_at":
			c = crm.Change{Before: when(c.Before), After: when(c.After)}
		}
		ch[k] = c
	}
	ev.Changes = ch
	return ev
}

// money writes minor units (a JSON number in the event) as money.
func money(v any, currency string) any {
	f, ok := v.(float64)
	if !ok {
		return v
	}
	return crm.FormatMoney(int64(f), currency)
}

func when(v any) any {
	s, ok := v.(string)
	if !ok {
		return v
	}
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		return v
	}
	return t.Format("Jan 2, 2006 15:04")
}

// stageNames names the stages and pipelines the events mention.
func stageNames(tx *store.Tx, ws crm.ID, evs []crm.Event) (map[crm.ID]string, error) {
	var ids []any
	for _, ev := range evs {
		for _, k := range []string{"stage_id", "pipeline_id"} {
			for _, v := range []any{ev.Changes[k].Before, ev.Changes[k].After} {
				if s, ok := v.(string); ok {
					if id, err := crm.ParseID(s); err == nil {
						ids = append(ids, id)
					}
				}
			}
		}
	}
	out := map[crm.ID]string{}
	if len(ids) == 0 {
		return out, nil
	}
	rows, err := tx.Query(`SELECT id, name FROM stages WHERE workspace_id = ? AND id IN (`+placeholders(len(ids))+`)
		UNION ALL SELECT id, name FROM pipelines WHERE workspace_id = ? AND id IN (`+placeholders(len(ids))+`)`,
		append(append(append([]any{ws}, ids...), ws), ids...)...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var id crm.ID
		var n string
		if err := rows.Scan(&id, &n); err != nil {
			return nil, err
		}
		out[id] = n
	}
	return out, rows.Err()
}

// dealEventsSQL selects the events of the deals cond (on deals x) picks
// and scope (on events e, see activityScope) keeps, newest first. The join
// order is fixed (SQLite reads CROSS JOIN left to right; for PostgreSQL it
// is an inner join like any other): the events by their deal, then each
// event's deal by id.
func dealEventsSQL(cond, scope string) string {
	if scope != "" {
		scope = ` AND ` + scope
	}
	return `SELECT ` + eventCols + `, d.title, d.currency
		FROM events e CROSS JOIN deals d
		WHERE d.id = e.object_id AND d.workspace_id = e.workspace_id
			AND e.workspace_id = ? AND e.object_type = 'deal' AND e.object_id IN
			(SELECT x.id FROM deals x WHERE x.workspace_id = ? AND x.deleted_at IS NULL AND ` + cond + `)` + scope + `
		ORDER BY e.id DESC LIMIT ?`
}
