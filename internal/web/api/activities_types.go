package api

import (
	"time"

	"github.com/tandemcrm/tandem/internal/activities"
	"github.com/tandemcrm/tandem/internal/crm"
)

// ActivityContact is a contact taking part in an activity.
type ActivityContact struct {
	ContactID crm.ID `json:"contact_id"`
	Role      string `json:"role,omitempty" enum:"required,optional" doc:"required (default) or optional"`
}

// Activity is a task, call, meeting, deadline or email to write, as the
// API shows it.
type Activity struct {
	ID              crm.ID            `json:"id"`
	Type            string            `json:"type" enum:"task,call,meeting,deadline,email"`
	Title           string            `json:"title"`
	DueAt           *time.Time        `json:"due_at" doc:"UTC; for an all-day activity 00:00 UTC of its date"`
	AllDay          bool              `json:"all_day"`
	DurationMin     int               `json:"duration_min"`
	Done            bool              `json:"done"`
	DoneAt          *time.Time        `json:"done_at"`
	Outcome         string            `json:"outcome"`
	OwnerID         crm.ID            `json:"owner_id"`
	ContactID       *crm.ID           `json:"contact_id" doc:"The first of contacts; null when none"`
	Contacts        []ActivityContact `json:"contacts"`
	CompanyID       *crm.ID           `json:"company_id"`
	DealID          *crm.ID           `json:"deal_id"`
	Notes           string            `json:"notes"`
	Location        string            `json:"location"`
	RemindBeforeMin int               `json:"remind_before_min" doc:"Minutes before due_at the owner is reminded; -1 for no reminder"`
	RemindAt        *time.Time        `json:"remind_at"`
	CreatedAt       time.Time         `json:"created_at"`
	UpdatedAt       time.Time         `json:"updated_at"`
	Version         int64             `json:"version" doc:"Send as If-Match to update only this version"`

	only map[string]bool
}

// MarshalJSON leaves out fields not asked for with ?fields= (id always stays).
func (a Activity) MarshalJSON() ([]byte, error) {
	type plain Activity
	return onlyFields(plain(a), a.only)
}

func timePtr(t time.Time) *time.Time {
	if t.IsZero() {
		return nil
	}
	return &t
}

func idPtr(id crm.ID) *crm.ID {
	if id == 0 {
		return nil
	}
	return &id
}

func activityOut(a activities.Activity, only map[string]bool) Activity {
	out := Activity{ID: a.ID, Type: a.Type, Title: a.Title, DueAt: timePtr(a.DueAt), AllDay: a.AllDay, DurationMin: a.DurationMin,
		Done: a.Done(), DoneAt: timePtr(a.DoneAt), Outcome: a.Outcome, OwnerID: a.OwnerID, ContactID: idPtr(a.ContactID),
		Contacts: []ActivityContact{}, CompanyID: idPtr(a.CompanyID), DealID: idPtr(a.DealID), Notes: a.Notes, Location: a.Location,
		RemindBeforeMin: a.RemindBefore(), RemindAt: timePtr(a.RemindAt), CreatedAt: a.CreatedAt, UpdatedAt: a.UpdatedAt,
		Version: a.Version, only: only}
	for _, c := range a.Contacts {
		out.Contacts = append(out.Contacts, ActivityContact{ContactID: c.ContactID, Role: c.Role})
	}
	return out
}

// ActivityInput creates (POST) or changes (PATCH) an activity; a field left
// out is left as it is.
type ActivityInput struct {
	Type            *string            `json:"type,omitempty" enum:"task,call,meeting,deadline,email" doc:"Default task"`
	Title           *string            `json:"title,omitempty" maxLength:"200" doc:"Required when creating"`
	DueAt           *time.Time         `json:"due_at,omitempty" doc:"RFC 3339; required when creating. All-day activities keep only the date (in UTC)"`
	AllDay          *bool              `json:"all_day,omitempty"`
	DurationMin     *int               `json:"duration_min,omitempty" minimum:"0" maximum:"10080"`
	OwnerID         *crm.ID            `json:"owner_id,omitempty" doc:"Default: the key's user"`
	ContactID       *crm.ID            `json:"contact_id,omitempty" doc:"Shortcut: sets contacts to this one contact; \"0\" removes all"`
	Contacts        *[]ActivityContact `json:"contacts,omitempty" maxItems:"50"`
	CompanyID       *crm.ID            `json:"company_id,omitempty" doc:"\"0\" unlinks"`
	DealID          *crm.ID            `json:"deal_id,omitempty" doc:"\"0\" unlinks"`
	Notes           *string            `json:"notes,omitempty" maxLength:"20000"`
	Location        *string            `json:"location,omitempty" maxLength:"500"`
	RemindBeforeMin *int               `json:"remind_before_min,omitempty" minimum:"-1" maximum:"40320" doc:"-1: no reminder"`
	Outcome         *string            `json:"outcome,omitempty" maxLength:"2000"`
}

func (in ActivityInput) domain() activities.Input {
	out := activities.Input{Type: in.Type, Title: in.Title, DueAt: in.DueAt, AllDay: in.AllDay, DurationMin: in.DurationMin,
		OwnerID: in.OwnerID, ContactID: in.ContactID, CompanyID: in.CompanyID, DealID: in.DealID, Notes: in.Notes,
		Location: in.Location, RemindBefore: in.RemindBeforeMin, Outcome: in.Outcome}
	if in.Contacts != nil {
		ps := []activities.Participant{}
		for _, c := range *in.Contacts {
			ps = append(ps, activities.Participant{ContactID: c.ContactID, Role: c.Role})
		}
		out.Contacts = &ps
	}
	return out
}
