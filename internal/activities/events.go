package activities

import (
	"encoding/json"
	"strings"
	"time"

	"github.com/tandemcrm/tandem/internal/crm"
	"github.com/tandemcrm/tandem/internal/store"
)

// diff lists the fields that differ between a and b, for events.
func diff(a, b Activity) map[string]crm.Change {
	ch := map[string]crm.Change{}
	add := func(name string, x, y any) {
		xj, _ := json.Marshal(x)
		yj, _ := json.Marshal(y)
		if string(xj) != string(yj) {
			ch[name] = crm.Change{Before: emptyNil(x), After: emptyNil(y)}
		}
	}
	add("type", a.Type, b.Type)
	add("title", a.Title, b.Title)
	add("due_at", timeText(a.DueAt), timeText(b.DueAt))
	add("all_day", a.AllDay, b.AllDay)
	add("duration_min", a.DurationMin, b.DurationMin)
	add("done_at", timeText(a.DoneAt), timeText(b.DoneAt))
	add("outcome", a.Outcome, b.Outcome)
	add("owner_id", a.OwnerID, b.OwnerID)
	add("contacts", contactIDs(a.Contacts), contactIDs(b.Contacts))
	add("company_id", a.CompanyID, b.CompanyID)
	add("deal_id", a.DealID, b.DealID)
	add("notes", a.Notes, b.Notes)
	add("location", a.Location, b.Location)
	add("remind_at", timeText(a.RemindAt), timeText(b.RemindAt))
	return ch
}

func contactIDs(ps []Participant) []string {
	var out []string
	for _, p := range ps {
		s := p.ContactID.String()
		if p.Role != "required" {
			s += " (" + p.Role + ")"
		}
		out = append(out, s)
	}
	return out
}

func timeText(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format(time.RFC3339)
}

func emptyNil(v any) any {
	switch x := v.(type) {
	case string:
		if x == "" {
			return nil
		}
	case crm.ID:
		if x == 0 {
			return nil
		}
	case int:
		if x == 0 {
			return nil
		}
	case bool:
		if !x {
			return nil
		}
	case []string:
		if len(x) == 0 {
			return nil
		}
	}
	return v
}

// emit writes a create or delete: every field on the activity's own event.
func emit(tx *store.Tx, p crm.Principal, before, after Activity, action crm.Action, did string) error {
	ch := diff(Activity{}, after)
	if action == crm.Deleted {
		ch = nil
	}
	return emitChanges(tx, p, before, after, action, did, ch)
}

// emitChanges writes the activity's event and, on each record it concerns
// (before or after the change), a timeline event whose "activity" change
// says in a few words what happened; records.Timeline renders it as a
// sentence ("Meeting “Demo” added, due …").
func emitChanges(tx *store.Tx, p crm.Principal, before, after Activity, action crm.Action, did string, ch map[string]crm.Change) error {
	if err := tx.Emit(crm.Event{WorkspaceID: p.WorkspaceID, Actor: p.Actor(), ObjectType: "activity", ObjectID: after.ID,
		Action: action, Changes: ch}); err != nil {
		return err
	}
	if action == crm.Updated && did == "changed" && !timelineWorthy(ch) {
		return nil // notes and reminders change often; the records' timelines need not say so
	}
	line := map[string]any{"id": after.ID.String(), "type": after.Type, "title": after.Title, "did": did}
	if !after.DueAt.IsZero() {
		line["due"] = timeText(after.DueAt)
		if after.AllDay {
			line["all_day"] = true
		}
	}
	if did == "completed" && after.Outcome != "" {
		line["outcome"] = after.Outcome
	}
	for _, r := range related(before, after) {
		if err := tx.Emit(crm.Event{WorkspaceID: p.WorkspaceID, Actor: p.Actor(), ObjectType: r.kind, ObjectID: r.id,
			Action: crm.Updated, Changes: map[string]crm.Change{"activity": {After: line}}}); err != nil {
			return err
		}
	}
	return nil
}

func timelineWorthy(ch map[string]crm.Change) bool {
	for k := range ch {
		switch k {
		case "title", "type", "due_at", "contacts", "company_id", "deal_id", "outcome":
			return true
		}
	}
	return false
}

type ref struct {
	kind string
	id   crm.ID
}

// related lists the records an activity concerned before or after a change.
func related(before, after Activity) []ref {
	var out []ref
	seen := map[ref]bool{}
	add := func(kind string, id crm.ID) {
		r := ref{kind, id}
		if id != 0 && !seen[r] {
			seen[r] = true
			out = append(out, r)
		}
	}
	for _, a := range []Activity{before, after} {
		for _, c := range a.Contacts {
			add("contact", c.ContactID)
		}
		add("contact", a.ContactID)
		add("company", a.CompanyID)
		add("deal", a.DealID)
	}
	return out
}

func trim(s string) string { return strings.TrimSpace(s) }
