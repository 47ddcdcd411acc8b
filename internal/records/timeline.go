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
	return entries(tx, ws, evs, nil, nil)
}

// entries turns events into timeline lines; deals names the deals whose
// events appear, items the deal line items.
func entries(tx *store.Tx, ws crm.ID, evs []crm.Event, deals map[crm.ID]dealInfo, items map[crm.ID]itemInfo) ([]Entry, error) {
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
	contacts, err := contactNames(tx, ws, evs)
	if err != nil {
		return nil, err
	}
	// Ids in changes read as names: owners as people, companies and
	// contacts by name.
	name := func(field string, v any) any {
		if field == "contacts" {
			return dealContacts(v, contacts)
		}
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
		case "contact_id":
			if nm, ok := contacts[n]; ok {
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
		if ev.ObjectType == "deal_item" {
			e.Summary = itemSummary(ev, items[ev.ObjectID])
		}
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

// orDash renders a changed value for people: lists of emails and phones
// as their values with their labels ("+44 7700 900001 (mobile)"), links
// as their addresses, lists as comma-separated, empty as a dash.
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
				for _, k := range []string{"email", "phone", "url"} {
					if s, ok := m[k].(string); ok {
						if l, ok := m["label"].(string); ok && k != "url" {
							s = WithLabel(s, l)
						}
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

// contactNames names the contacts the events mention: a deal's primary
// contact (contact_id) and its other contacts ([{contact_id, role}]).
func contactNames(tx *store.Tx, ws crm.ID, evs []crm.Event) (map[crm.ID]string, error) {
	var ids []any
	add := func(v any) {
		if s, ok := v.(string); ok {
			if id, err := crm.ParseID(s); err == nil {
				ids = append(ids, id)
			}
		}
	}
	for _, ev := range evs {
		for _, v := range []any{ev.Changes["contact_id"].Before, ev.Changes["contact_id"].After} {
			add(v)
		}
		for _, v := range []any{ev.Changes["contacts"].Before, ev.Changes["contacts"].After} {
			list, _ := v.([]any)
			for _, c := range list {
				if m, ok := c.(map[string]any); ok {
					add(m["contact_id"])
				}
			}
		}
	}
	out := map[crm.ID]string{}
	if len(ids) == 0 {
		return out, nil
	}
	rows, err := tx.Query(`SELECT id, first_name, last_name, email FROM contacts WHERE +workspace_id = ? AND id IN (`+placeholders(len(ids))+`)`,
		append([]any{ws}, ids...)...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var c Contact
		if err := rows.Scan(&c.ID, &c.FirstName, &c.LastName, &c.Email); err != nil {
			return nil, err
		}
		out[c.ID] = c.Name()
	}
	return out, rows.Err()
}

// dealContacts writes a deal's other contacts ([{contact_id, role}] in its
// events) as names with their roles: "Bob (Decision maker)".
func dealContacts(v any, names map[crm.ID]string) any {
	list, ok := v.([]any)
	if !ok {
		return v
	}
	out := make([]any, 0, len(list))
	for _, c := range list {
		m, ok := c.(map[string]any)
		if !ok {
			return v
		}
		s, _ := m["contact_id"].(string)
		if id, err := crm.ParseID(s); err == nil && names[id] != "" {
			s = names[id]
		}
		if role, _ := m["role"].(string); role != "" {
			s += " (" + role + ")"
		}
		out = append(out, s)
	}
	return out
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
