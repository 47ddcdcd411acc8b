package importer

import (
	"encoding/json"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/tandemcrm/tandem/internal/activities"
	"github.com/tandemcrm/tandem/internal/crm"
	"github.com/tandemcrm/tandem/internal/store"
)

// Activities imports tasks, calls and meetings through internal/activities:
// type, title, due date and time (in a time zone column's zone, the
// offset written in the value, or the importing member's zone), assignee
// by email, the contact by email, the deal by title or external id.
type Activities struct{}

// Name implements Kind.
func (Activities) Name() string { return "activities" }

// Object implements Kind.
func (Activities) Object() string { return "activity" }

// DefaultDedupe: by external id when the file has one (see Adjust).
func (Activities) DefaultDedupe() Dedupe { return Dedupe{Policy: CreateOrUpdate, Match: "external_id"} }

// Fields implements Kind.
func (Activities) Fields(Defs) []FieldSpec {
	return []FieldSpec{
		{Key: "type", Label: "Type", Options: activities.Types, Synonyms: []string{"type", "activitytype", "tasktype", "kind", "category"}},
		{Key: "title", Label: "Title", Synonyms: []string{"title", "subject", "activityname", "task", "name", "description"}},
		{Key: "due", Label: "Due (date or date and time)", Synonyms: []string{"due", "duedate", "dueat", "date", "startdate", "start",
			"activitydate", "duedatetime", "startdatetime", "scheduledat", "when"}},
		{Key: "time", Label: "Due time (when separate)", Synonyms: []string{"time", "duetime", "starttime"}},
		{Key: "timezone", Label: "Time zone", Synonyms: []string{"timezone", "tz", "zone"}},
		{Key: "duration", Label: "Duration (minutes or 1:30)", Synonyms: []string{"duration", "durationmin", "durationminutes", "length"}},
		{Key: "done", Label: "Done (yes / no)", Synonyms: []string{"done", "completed", "status", "isdone", "markedasdone"}},
		{Key: "outcome", Label: "Outcome", Synonyms: []string{"outcome", "result", "callresult"}},
		{Key: "notes", Label: "Notes", Synonyms: []string{"notes", "note", "body", "comments"}},
		{Key: "location", Label: "Location", Synonyms: []string{"location", "place", "where"}},
		{Key: "owner", Label: "Assignee (email)", Synonyms: []string{"assignee", "assignedto", "owner", "activityowner", "assigneduser",
			"user", "owneremail", "taskowner"}},
		{Key: "contact", Label: "Contact (email)", Synonyms: []string{"contactemail", "contact", "personemail", "email", "relatedcontact"}},
		{Key: "deal", Label: "Deal (title)", Synonyms: []string{"deal", "dealtitle", "dealname", "opportunity", "opportunityname", "relateddeal"}},
		{Key: "deal_external_id", Label: "Deal (external id)", Synonyms: []string{"dealid", "opportunityid", "dealexternalid"}},
		{Key: "external_id", Label: "External id", Match: true, Synonyms: []string{"id", "externalid", "activityid", "taskid", "recordid"}},
	}
}

// Adjust: without an id column every row is a new activity.
func (Activities) Adjust(t *Template, taken map[string]bool) {
	if !taken["external_id"] {
		t.Dedupe = Dedupe{}
	}
}

// Index implements Kind: activities are not in the search index.
func (Activities) Index() []IndexTarget { return nil }

type activityBatch struct {
	domainBatch
	zone *time.Location // the importing member's
}

// Start implements Kind.
func (Activities) Start(tx *store.Tx, r *Run) (Batch, error) {
	b := &activityBatch{domainBatch: domainBatch{run: r, match: r.Plan.Template.Dedupe.Match, policy: r.Plan.Template.Dedupe.Policy,
		keys: map[string]*domainTarget{}, object: "activity"}}
	b.write = b.writeActivity
	var err error
	if b.zone, err = activities.Zone(tx, r.Principal); err != nil {
		return nil, err
	}
	if b.match == "" {
		return b, nil
	}
	rows, err := tx.Query(`SELECT id, owner_id, import_id, external_id FROM activities WHERE workspace_id = ? AND deleted_at IS NULL
		AND external_id <> '' ORDER BY id`, r.WorkspaceID)
	if err != nil {
		return nil, errf("load activities: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var t domainTarget
		var imp crm.ID
		var key string
		if err := rows.Scan(&t.id, &t.owner, &imp, &key); err != nil {
			return nil, err
		}
		t.mine = imp == r.ID
		if _, dup := b.keys[key]; !dup {
			b.keys[key] = &t
		}
	}
	return b, rows.Err()
}

var activityWords = map[string]string{"todo": "task", "task": "task", "call": "call", "phonecall": "call", "phone": "call",
	"meeting": "meeting", "event": "meeting", "appointment": "meeting", "lunch": "meeting", "deadline": "deadline",
	"email": "email", "mail": "email"}

var dueLayouts = []string{time.RFC3339, "2006-01-02T15:04:05", "2006-01-02T15:04", "2006-01-02 15:04:05", "2006-01-02 15:04"}

// due reads the due date and time: a date alone is an all-day activity.
func (b *activityBatch) due(v map[string]string) (time.Time, bool, *Outcome) {
	s := strings.TrimSpace(v["due"])
	if t := strings.TrimSpace(v["time"]); t != "" && len(s) == 10 {
		s += " " + t
	}
	loc := b.zone
	if z := v["timezone"]; z != "" {
		l, err := time.LoadLocation(strings.TrimSpace(z))
		if err != nil {
			o := fail("timezone", z, "not a time zone like Europe/Berlin or America/New_York")
			return time.Time{}, false, &o
		}
		loc = l
	}
	if d, err := time.Parse(time.DateOnly, s); err == nil {
		return d, true, nil
	}
	for _, l := range dueLayouts {
		if t, err := time.ParseInLocation(l, s, loc); err == nil {
			return t.UTC(), false, nil
		}
	}
	o := fail("due", v["due"], "not a date like 2026-01-31 or a date and time like 2026-01-31 14:30")
	return time.Time{}, false, &o
}

func (b *activityBatch) typeOf(v map[string]string) (string, *Outcome) {
	s := v["type"]
	if s == "" {
		return "task", nil
	}
	if t, ok := activityWords[norm(s)]; ok {
		return t, nil
	}
	o := fail("type", s, "use one of "+strings.Join(activities.Types, ", ")+", or map this value in the template")
	return "", &o
}

// minutes reads "45", "1:30" or "90 min".
func minutes(s string) (int, bool) {
	s = strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(strings.ToLower(s)), "min"))
	if h, m, ok := strings.Cut(s, ":"); ok {
		hh, e1 := strconv.Atoi(h)
		mm, e2 := strconv.Atoi(m)
		return hh*60 + mm, e1 == nil && e2 == nil && mm < 60
	}
	n, err := strconv.Atoi(strings.TrimSpace(s))
	return n, err == nil
}

// Row implements Batch.
func (b *activityBatch) Row(line int, v map[string]string) Outcome {
	if _, o := b.typeOf(v); o != nil {
		return *o
	}
	key := v[b.match]
	if _, found := b.keys[key]; !found || key == "" {
		if v["title"] == "" {
			return fail("title", "", "an activity needs a title")
		}
		if v["due"] == "" {
			return fail("due", "", "an activity needs a due date")
		}
	}
	if v["due"] != "" {
		if _, _, o := b.due(v); o != nil {
			return *o
		}
	}
	if s := v["duration"]; s != "" {
		if _, ok := minutes(s); !ok {
			return fail("duration", s, "not a duration in minutes like 45 or 1:30")
		}
	}
	if s := v["done"]; s != "" {
		if _, ok := doneValue(s); !ok {
			return fail("done", s, "use yes or no (or done / open)")
		}
	}
	var notes []Outcome
	if _, o := b.run.Owner(v["owner"]); o != nil {
		notes = append(notes, *o)
	}
	return b.decide(line, v, key, notes)
}

func doneValue(s string) (bool, bool) {
	switch norm(s) {
	case "yes", "y", "true", "1", "done", "completed", "complete", "closed", "x":
		return true, true
	case "no", "n", "false", "0", "open", "notstarted", "inprogress", "pending", "todo":
		return false, true
	}
	return false, false
}

// Flush implements Batch.
func (b *activityBatch) Flush(tx *store.Tx) error { return b.flush(tx) }

// Finish implements Batch.
func (b *activityBatch) Finish(tx *store.Tx) error { return b.dropPlanned(tx) }

// dealFor finds the deal a row names by external id or by title.
func (b *activityBatch) dealFor(tx *store.Tx, op *domainOp) (crm.ID, error) {
	ws, v := b.run.WorkspaceID, op.vals
	var id crm.ID
	field, val, q := "deal_external_id", v["deal_external_id"], `SELECT id FROM deals WHERE workspace_id = ? AND external_id = ? AND deleted_at IS NULL ORDER BY id LIMIT 1`
	if val == "" {
		field, val, q = "deal", strings.ToLower(v["deal"]), `SELECT id FROM deals WHERE workspace_id = ? AND lower(title) = ? AND deleted_at IS NULL ORDER BY id LIMIT 1`
	}
	if val == "" {
		return 0, nil
	}
	err := tx.QueryRow(q, ws, val).Scan(&id)
	if err == store.ErrNoRows {
		return 0, b.issue(tx, op.line, Warned, field, v[field], "no deal has this "+map[string]string{"deal": "title", "deal_external_id": "id"}[field]+"; the activity is on no deal")
	}
	return id, err
}

func (b *activityBatch) writeActivity(tx *store.Tx, op *domainOp) (crm.ID, error) {
	r, v := b.run, op.vals
	var in activities.Input
	if s := v["type"]; s != "" || op.target == nil {
		t, _ := b.typeOf(v)
		in.Type = &t
	}
	for _, f := range []struct {
		key string
		dst **string
	}{{"title", &in.Title}, {"notes", &in.Notes}, {"location", &in.Location}, {"outcome", &in.Outcome}} {
		if s, ok := v[f.key]; ok {
			*f.dst = &s
		}
	}
	if v["due"] != "" {
		at, allDay, _ := b.due(v)
		in.DueAt, in.AllDay = &at, &allDay
	}
	if s := v["duration"]; s != "" {
		m, _ := minutes(s)
		in.DurationMin = &m
	}
	if owner, _ := r.Owner(v["owner"]); owner != 0 {
		in.OwnerID = &owner
	}
	if e := v["contact"]; e != "" {
		id, hidden, err := linkContact(tx, r.Principal, e, 0)
		if err != nil {
			return 0, err
		}
		why := "no contact has this email; the activity concerns no contact"
		if hidden {
			why = "the contact with this email is hidden from you, so it is not linked"
		}
		if id == 0 {
			if err := b.issue(tx, op.line, Warned, "contact", e, why); err != nil {
				return 0, err
			}
		} else {
			in.ContactID = &id
		}
	}
	deal, err := b.dealFor(tx, op)
	if err != nil {
		return 0, err
	}
	if deal != 0 {
		in.DealID = &deal
	}
	var a, before activities.Activity
	if op.target == nil {
		if a, err = activities.Create(tx, r.Principal, in); err != nil {
			return 0, err
		}
		if _, err := tx.Exec(`UPDATE activities SET import_id = ?, external_id = ? WHERE workspace_id = ? AND id = ?`,
			r.ID, v["external_id"], r.WorkspaceID, a.ID); err != nil {
			return 0, errf("activity import id: %w", err)
		}
	} else {
		if before, err = activities.Get(tx, r.WorkspaceID, op.target.id); err != nil {
			return 0, err
		}
		if a, err = activities.Update(tx, r.Principal, before.ID, in, 0); err != nil {
			return 0, err
		}
	}
	if s := v["done"]; s != "" {
		done, _ := doneValue(s)
		switch {
		case done && !a.Done():
			a, err = activities.MarkDone(tx, r.Principal, a.ID, nil)
		case !done && a.Done():
			a, err = activities.MarkUndone(tx, r.Principal, a.ID)
		}
		if err != nil {
			return 0, err
		}
	}
	if op.target != nil && !op.target.mine {
		return a.ID, keepBefore(tx, r, "activity", a.ID, before, a.Version)
	}
	return a.ID, nil
}

// Undo implements Kind.
func (Activities) Undo(tx *store.Tx, r *Run) (UndoResult, error) {
	var res UndoResult
	n, err := trashCreated(tx, r, "activities", "activity")
	res.Removed = int(n)
	if err != nil {
		return res, err
	}
	return res, restoreAll(tx, r, &res)
}

func restoreActivity(tx *store.Tx, r *Run, image string, version int64) (bool, error) {
	var b activities.Activity
	if err := json.Unmarshal([]byte(image), &b); err != nil {
		return false, errf("undo: before-image: %w", err)
	}
	cur, err := activities.Get(tx, r.WorkspaceID, b.ID)
	if crm.ErrorCode(err) == crm.NotFound || (err == nil && cur.Version != version) {
		return false, nil
	} else if err != nil {
		return false, err
	}
	contacts := slices.Clone(b.Contacts)
	if contacts == nil {
		contacts = []activities.Participant{}
	}
	remind := b.RemindBefore()
	in := activities.Input{Type: &b.Type, Title: &b.Title, DueAt: &b.DueAt, AllDay: &b.AllDay, DurationMin: &b.DurationMin,
		OwnerID: &b.OwnerID, Contacts: &contacts, CompanyID: &b.CompanyID, DealID: &b.DealID, Notes: &b.Notes,
		Location: &b.Location, RemindBefore: &remind, Outcome: &b.Outcome}
	a, err := activities.Update(tx, r.Principal, b.ID, in, version)
	if err != nil {
		return false, err
	}
	switch {
	case b.Done() && !a.Done():
		_, err = activities.MarkDone(tx, r.Principal, b.ID, nil)
	case !b.Done() && a.Done():
		_, err = activities.MarkUndone(tx, r.Principal, b.ID)
	}
	return err == nil, err
}
