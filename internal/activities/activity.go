package activities

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/tandemcrm/tandem/internal/account"
	"github.com/tandemcrm/tandem/internal/crm"
	"github.com/tandemcrm/tandem/internal/records"
	"github.com/tandemcrm/tandem/internal/store"
)

// Types are the kinds of activity, in the order forms offer them.
var Types = []string{"task", "call", "meeting", "deadline", "email"}

// Roles a contact may have in an activity.
var Roles = []string{"required", "optional"}

// Limits on what an activity holds.
const (
	MaxTitle        = 200
	MaxNotes        = 20_000
	MaxOutcome      = 2_000
	MaxLocation     = 500
	MaxDurationMin  = 7 * 24 * 60
	MaxRemindBefore = 28 * 24 * 60
	MaxContacts     = 50
)

// Participant is a contact taking part in an activity.
type Participant struct {
	ContactID crm.ID `json:"contact_id"`
	Role      string `json:"role"`
	Name      string `json:"-"` // filled for display
	Email     string `json:"-"`
}

// Activity is one piece of work.
type Activity struct {
	ID          crm.ID
	Type        string
	Title       string
	DueAt       time.Time // zero: none (rows from before due dates were required)
	AllDay      bool
	DurationMin int
	DoneAt      time.Time // zero: open
	Outcome     string
	OwnerID     crm.ID
	ContactID   crm.ID // the first participant
	CompanyID   crm.ID
	DealID      crm.ID
	Contacts    []Participant
	Notes       string
	Location    string
	RemindAt    time.Time // zero: no reminder
	RemindedAt  time.Time
	CreatedBy   crm.ID
	CreatedAt   time.Time
	UpdatedAt   time.Time
	Version     int64

	// Filled by lists, for display.
	ContactName, CompanyName, OwnerName, DealTitle string
}

// Done reports whether the activity is done.
func (a Activity) Done() bool { return !a.DoneAt.IsZero() }

// EndsAt is the end of a timed activity (its due time plus its duration).
func (a Activity) EndsAt() time.Time { return a.DueAt.Add(time.Duration(a.DurationMin) * time.Minute) }

// RemindBefore is how long before the due time the reminder fires, or -1
// for none.
func (a Activity) RemindBefore() int {
	if a.RemindAt.IsZero() || a.DueAt.IsZero() {
		return -1
	}
	return int(a.DueAt.Sub(a.RemindAt) / time.Minute)
}

// Input creates (every field that matters set) or changes (nil fields are
// left alone) an activity. RemindBefore is minutes before the due time, -1
// for no reminder.
type Input struct {
	Type         *string
	Title        *string
	DueAt        *time.Time
	AllDay       *bool
	DurationMin  *int
	OwnerID      *crm.ID
	ContactID    *crm.ID // shortcut: sets Contacts to this one contact ("0": none)
	Contacts     *[]Participant
	CompanyID    *crm.ID
	DealID       *crm.ID
	Notes        *string
	Location     *string
	RemindBefore *int
	Outcome      *string
}

var errNotFound = crm.Errorf(crm.NotFound, "No such activity.")

// Create validates and stores an activity owned by in.OwnerID (the creator
// when unset), and writes its events on it and on the records it concerns.
func Create(tx *store.Tx, p crm.Principal, in Input) (Activity, error) {
	a := Activity{Type: "task", OwnerID: p.UserID, CreatedBy: p.UserID, CreatedAt: tx.Now, UpdatedAt: tx.Now, Version: 1}
	fe := crm.FieldErrors{}
	if in.Title == nil {
		fe.Add("title", "Give the activity a title.")
	}
	if in.DueAt == nil || in.DueAt.IsZero() {
		fe.Add("due_at", "Choose when it is due.")
	}
	if !apply(&a, in) {
		fe.Add("remind_before_min", "A reminder comes 0 to 40,320 minutes (four weeks) before.")
	}
	if in.OwnerID != nil && *in.OwnerID == 0 {
		a.OwnerID = p.UserID
	}
	if err := account.Can(tx, p, account.ActCreate, a.OwnerID); err != nil {
		if crm.ErrorCode(err) == crm.Forbidden && a.OwnerID != p.UserID {
			fe.Add("owner_id", crm.ErrorMessage(err))
		} else {
			return a, err
		}
	}
	if err := validate(tx, p, &a, fe); err != nil {
		return a, err
	}
	a.ID = tx.NewID()
	if err := insert(tx, p, a); err != nil {
		return a, err
	}
	return a, emit(tx, p, Activity{}, a, crm.Created, "added")
}

// apply copies the set fields of in onto a; false means the reminder asked
// for is out of range.
func apply(a *Activity, in Input) bool {
	set := func(dst *string, src *string) {
		if src != nil {
			*dst = strings.TrimSpace(*src)
		}
	}
	set(&a.Type, in.Type)
	set(&a.Title, in.Title)
	set(&a.Notes, in.Notes)
	set(&a.Location, in.Location)
	set(&a.Outcome, in.Outcome)
	before := a.RemindBefore()
	if in.AllDay != nil {
		a.AllDay = *in.AllDay
	}
	if in.DueAt != nil {
		a.DueAt = in.DueAt.UTC().Truncate(time.Microsecond)
	}
	if a.AllDay && !a.DueAt.IsZero() {
		a.DueAt = time.Date(a.DueAt.Year(), a.DueAt.Month(), a.DueAt.Day(), 0, 0, 0, 0, time.UTC)
	}
	if in.DurationMin != nil {
		a.DurationMin = *in.DurationMin
	}
	if in.OwnerID != nil {
		a.OwnerID = *in.OwnerID
	}
	if in.CompanyID != nil {
		a.CompanyID = *in.CompanyID
	}
	if in.DealID != nil {
		a.DealID = *in.DealID
	}
	if in.Contacts != nil {
		a.Contacts = slices.Clone(*in.Contacts)
	} else if in.ContactID != nil {
		a.Contacts = nil
		if *in.ContactID != 0 {
			a.Contacts = []Participant{{ContactID: *in.ContactID, Role: "required"}}
		}
	}
	if in.RemindBefore != nil {
		before = *in.RemindBefore
	}
	// The reminder keeps its distance from the due time when that moves.
	a.RemindAt = time.Time{}
	if before > MaxRemindBefore || before < -1 {
		return false
	}
	if before >= 0 && !a.DueAt.IsZero() {
		a.RemindAt = a.DueAt.Add(-time.Duration(before) * time.Minute)
	}
	return true
}

// validate normalises a and collects every problem with it.
func validate(tx *store.Tx, p crm.Principal, a *Activity, fe crm.FieldErrors) error {
	ws := p.WorkspaceID
	if !slices.Contains(Types, a.Type) {
		fe.Add("type", "Choose one of: "+strings.Join(Types, ", ")+".")
	}
	if a.Title == "" || len(a.Title) > MaxTitle {
		fe.Add("title", fmt.Sprintf("Give the activity a title (up to %d characters).", MaxTitle))
	}
	if a.DurationMin < 0 || a.DurationMin > MaxDurationMin {
		fe.Add("duration_min", "The duration is 0 to 10,080 minutes (a week).")
	}
	if len(a.Notes) > MaxNotes || len(a.Outcome) > MaxOutcome || len(a.Location) > MaxLocation {
		fe.Add("notes", "Notes, outcome and location are limited to 20,000, 2,000 and 500 characters.")
	}
	if !a.DueAt.IsZero() && (a.DueAt.Year() < 1900 || a.DueAt.Year() > 2999) {
		fe.Add("due_at", "Choose a date between 1900 and 2999.")
	}
	if ok, err := isMember(tx, ws, a.OwnerID); err != nil {
		return err
	} else if !ok {
		fe.Add("owner_id", "The owner must be a member of this workspace.")
	}
	if err := checkContacts(tx, p, a, fe); err != nil {
		return err
	}
	if a.CompanyID != 0 {
		co, err := records.ViewCompany(tx, p, a.CompanyID)
		if crm.ErrorCode(err) == crm.NotFound {
			fe.Add("company_id", "No such company.")
		} else if err != nil {
			return err
		}
		a.CompanyName = co.Name
	}
	if a.DealID != 0 {
		if err := CheckDeal(tx, p, a.DealID); crm.ErrorCode(err) == crm.NotFound {
			fe.Add("deal_id", "No such deal.")
		} else if err != nil {
			return err
		}
	}
	return fe.Err()
}

func checkContacts(tx *store.Tx, p crm.Principal, a *Activity, fe crm.FieldErrors) error {
	if len(a.Contacts) > MaxContacts {
		fe.Add("contacts", fmt.Sprintf("An activity concerns at most %d contacts.", MaxContacts))
		return nil
	}
	seen := map[crm.ID]bool{}
	out := a.Contacts[:0]
	for i, c := range a.Contacts {
		if c.Role == "" {
			c.Role = "required"
		}
		if !slices.Contains(Roles, c.Role) {
			fe.Add(fmt.Sprintf("contacts.%d.role", i), "The role is required or optional.")
		}
		if seen[c.ContactID] {
			continue
		}
		seen[c.ContactID] = true
		ct, err := records.ViewContact(tx, p, c.ContactID)
		if crm.ErrorCode(err) == crm.NotFound {
			fe.Add(fmt.Sprintf("contacts.%d.contact_id", i), "No such contact.")
		} else if err != nil {
			return err
		}
		c.Name, c.Email = ct.Name(), ct.Email
		out = append(out, c)
	}
	a.Contacts = out
	a.ContactID, a.ContactName = 0, ""
	if len(a.Contacts) > 0 {
		a.ContactID, a.ContactName = a.Contacts[0].ContactID, a.Contacts[0].Name
		if fe["contacts.0.contact_id"] != "" {
			fe.Add("contact_id", fe["contacts.0.contact_id"])
		}
	}
	return nil
}

// CheckDeal finds a live deal of the workspace that p may see; deals are
// another package's, so only their owner and existence are read here.
func CheckDeal(tx *store.Tx, p crm.Principal, id crm.ID) error {
	var owner crm.ID
	err := tx.QueryRow(`SELECT owner_id FROM deals WHERE workspace_id = ? AND id = ? AND deleted_at IS NULL`, p.WorkspaceID, id).Scan(&owner)
	if errors.Is(err, store.ErrNoRows) {
		return crm.Errorf(crm.NotFound, "No such deal.")
	} else if err != nil {
		return err
	}
	return account.Can(tx, p, account.ActView, owner)
}

func isMember(tx *store.Tx, ws, user crm.ID) (bool, error) {
	var n int
	err := tx.QueryRow(`SELECT count(*) FROM memberships WHERE workspace_id = ? AND user_id = ? AND deactivated_at IS NULL`, ws, user).Scan(&n)
	return n > 0, err
}

func insert(tx *store.Tx, p crm.Principal, a Activity) error {
	now := store.Micros(tx.Now)
	_, err := tx.Exec(`INSERT INTO activities (id, workspace_id, type, title, due_at, all_day, duration_min, done_at, outcome,
		owner_id, contact_id, company_id, deal_id, notes, location, remind_at, created_by, updated_by, created_at, updated_at, version)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		a.ID, p.WorkspaceID, a.Type, a.Title, nullTime(a.DueAt), a.AllDay, a.DurationMin, nullTime(a.DoneAt), a.Outcome,
		a.OwnerID, a.ContactID, a.CompanyID, a.DealID, a.Notes, a.Location, nullTime(a.RemindAt), p.UserID, p.UserID, now, now, a.Version)
	if err != nil {
		return fmt.Errorf("activities: create: %w", err)
	}
	return saveContacts(tx, p.WorkspaceID, a)
}

func saveContacts(tx *store.Tx, ws crm.ID, a Activity) error {
	if _, err := tx.Exec(`DELETE FROM activity_contacts WHERE workspace_id = ? AND activity_id = ?`, ws, a.ID); err != nil {
		return err
	}
	for _, c := range a.Contacts {
		if _, err := tx.Exec(`INSERT INTO activity_contacts (workspace_id, activity_id, contact_id, role) VALUES (?, ?, ?, ?)`,
			ws, a.ID, c.ContactID, c.Role); err != nil {
			return fmt.Errorf("activities: save contacts: %w", err)
		}
	}
	return nil
}

// nullTime stores the zero time as NULL.
func nullTime(t time.Time) any {
	if t.IsZero() {
		return nil
	}
	return store.Micros(t)
}
