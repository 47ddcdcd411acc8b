package records

import (
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/tandemcrm/tandem/internal/crm"
	"github.com/tandemcrm/tandem/internal/store"
)

// Entry is one line of a record's timeline.
type Entry struct {
	At      time.Time
	Who     string // the actor's name, "Tandem" for the system
	Action  crm.Action
	Summary string // what changed, in words
	// About names the related record a line is about, when it is not the
	// timeline's own record: `deal “Initech rollout”`.
	About string
}

// Timeline returns the newest limit entries of a record's history, read from
// the event stream.
func Timeline(tx *store.Tx, ws crm.ID, objectType string, id crm.ID, limit int) ([]Entry, error) {
	evs, err := tx.Events(ws, objectType, id, limit)
	if err != nil {
		return nil, err
	}
	return entries(tx, ws, evs, nil)
}

// entries turns events into timeline lines; deals names the deals whose
// events appear on another record's timeline.
func entries(tx *store.Tx, ws crm.ID, evs []crm.Event, deals map[crm.ID]dealInfo) ([]Entry, error) {
	names, err := memberNames(tx, ws)
	if err != nil {
		return nil, err
	}
	companies, err := companyNames(tx, ws, evs)
	if err != nil {
		return nil, err
	}
	stages, err := stageNames(tx, ws, evs)
	if err != nil {
		return nil, err
	}
	// Ids in changes read as names: owners as people, companies by name.
	name := func(field string, v any) any {
		s, ok := v.(string)
		if !ok {
			return v
		}
		n, err := crm.ParseID(s)
		if err != nil {
			return v
		}
		switch field {
		case "owner_id":
			if nm, ok := names[n]; ok {
				return nm
			}
		case "company_id", "parent_id", "past_company_id":
			if nm, ok := companies[n]; ok {
				return nm
			}
		case "stage_id", "pipeline_id":
			if nm, ok := stages[n]; ok {
				return nm
			}
		}
		return v
	}
	for i := range evs {
		for k, c := range evs[i].Changes {
			evs[i].Changes[k] = crm.Change{Before: name(k, c.Before), After: name(k, c.After)}
		}
	}
	out := make([]Entry, 0, len(evs))
	for _, ev := range evs {
		who := "Tandem"
		if ev.Actor.Type == "user" {
			who = names[ev.Actor.ID]
		} else if ev.Actor.Type == "apikey" {
			who = "API key"
		}
		d, isDeal := deals[ev.ObjectID]
		if isDeal && ev.ObjectType == "deal" {
			ev = readableDeal(d, ev)
		}
		e := Entry{At: ev.At, Who: who, Action: ev.Action, Summary: summarize(ev)}
		if isDeal && ev.ObjectType == "deal" && d.prefix {
			e.About = "deal “" + d.title + "”"
		}
		out = append(out, e)
	}
	return out, nil
}

func summarize(ev crm.Event) string {
	keys := make([]string, 0, len(ev.Changes))
	for k := range ev.Changes {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var parts []string
	for _, k := range keys {
		c := ev.Changes[k]
		if k == "activity" {
			if line, ok := activityLine(c.After); ok {
				parts = append(parts, line)
				continue
			}
		}
		label := strings.ReplaceAll(strings.TrimSuffix(k, "_id"), "_", " ")
		if ev.Action == crm.Created {
			parts = append(parts, fmt.Sprintf("%s: %v", label, orDash(c.After)))
		} else {
			parts = append(parts, fmt.Sprintf("%s: %v → %v", label, orDash(c.Before), orDash(c.After)))
		}
	}
	return strings.Join(parts, " · ")
}

// orDash renders a changed value for people: lists of emails or phones as
// their addresses, lists as comma-separated, empty as a dash.
func orDash(v any) any {
	switch x := v.(type) {
	case nil:
		return "—"
	case string:
		if x == "" {
			return "—"
		}
		return x
	case []any:
		var parts []string
		for _, e := range x {
			if m, ok := e.(map[string]any); ok {
				for _, k := range []string{"email", "phone"} {
					if s, ok := m[k].(string); ok {
						parts = append(parts, s)
					}
				}
				continue
			}
			parts = append(parts, fmt.Sprint(e))
		}
		if len(parts) == 0 {
			return "—"
		}
		return strings.Join(parts, ", ")
	case bool:
		if x {
			return "yes"
		}
		return "no"
	}
	return v
}

// companyNames names the companies the events mention.
func companyNames(tx *store.Tx, ws crm.ID, evs []crm.Event) (map[crm.ID]string, error) {
	var ids []any
	for _, ev := range evs {
		for _, k := range []string{"company_id", "parent_id", "past_company_id"} {
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
	rows, err := tx.Query(`SELECT id, name FROM companies WHERE +workspace_id = ? AND id IN (`+placeholders(len(ids))+`)`, append([]any{ws}, ids...)...)
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

// memberNames maps the workspace's users to their names.
func memberNames(tx *store.Tx, ws crm.ID) (map[crm.ID]string, error) {
	rows, err := tx.Query(`SELECT u.id, u.name FROM users u JOIN memberships m ON m.user_id = u.id WHERE m.workspace_id = ?`, ws)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	m := map[crm.ID]string{}
	for rows.Next() {
		var id crm.ID
		var n string
		if err := rows.Scan(&id, &n); err != nil {
			return nil, err
		}
		m[id] = n
	}
	return m, rows.Err()
}

// activityLine reads an activity's event on the record it concerns
// (package activities writes it) as words: "Meeting “Demo” added, due
// Dec 3, 2026 15:00 UTC".
func activityLine(v any) (string, bool) {
	m, ok := v.(map[string]any)
	if !ok {
		return "", false
	}
	typ, _ := m["type"].(string)
	title, _ := m["title"].(string)
	did, _ := m["did"].(string)
	if typ == "" || did == "" {
		return "", false
	}
	s := strings.ToUpper(typ[:1]) + typ[1:] + " “" + title + "” " + did
	if due, ok := m["due"].(string); ok {
		if t, err := time.Parse(time.RFC3339, due); err == nil {
			if allDay, _ := m["all_day"].(bool); allDay {
				s += ", due " + t.Format("Jan 2, 2006")
			} else {
				s += ", due " + t.Format("Jan 2, 2006 15:04 UTC")
			}
		}
	}
	if out, ok := m["outcome"].(string); ok && out != "" {
		s += " — " + out
	}
	return s, true
}
