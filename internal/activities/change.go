package activities

import (
	"fmt"
	"time"

	"github.com/tandemcrm/tandem/internal/account"
	"github.com/tandemcrm/tandem/internal/crm"
	"github.com/tandemcrm/tandem/internal/store"
)

// Update changes the fields set in in. ifVersion, when not 0, must be the
// activity's current version (If-Match), or nothing changes.
func Update(tx *store.Tx, p crm.Principal, id crm.ID, in Input, ifVersion int64) (Activity, error) {
	old, err := View(tx, p, id)
	if err != nil {
		return old, err
	}
	if err := account.Can(tx, p, account.ActUpdate, old.OwnerID); err != nil {
		return old, err
	}
	if ifVersion != 0 && ifVersion != old.Version {
		return old, crm.Errorf(crm.Conflict, "This activity was changed by someone else. Reload and try again.")
	}
	a := old
	a.Contacts = append([]Participant(nil), old.Contacts...)
	fe := crm.FieldErrors{}
	if !apply(&a, in) {
		fe.Add("remind_before_min", "A reminder comes 0 to 40,320 minutes (four weeks) before.")
	}
	if in.DueAt != nil && in.DueAt.IsZero() {
		fe.Add("due_at", "Choose when it is due.")
	}
	if a.OwnerID != old.OwnerID {
		// Handing it on is creating it for someone else, as far as rights go.
		if err := account.Can(tx, p, account.ActCreate, a.OwnerID); err != nil {
			fe.Add("owner_id", crm.ErrorMessage(err))
		}
	}
	if err := validate(tx, p, &a, fe); err != nil {
		return old, err
	}
	ch := diff(old, a)
	if len(ch) == 0 {
		return old, nil
	}
	return save(tx, p, old, a, ch, "changed")
}

// save writes a changed activity, its contacts and its events.
func save(tx *store.Tx, p crm.Principal, old, a Activity, ch map[string]crm.Change, did string) (Activity, error) {
	a.Version, a.UpdatedAt = old.Version+1, tx.Now
	remindedAt := nullTime(a.RemindedAt)
	if !a.RemindAt.Equal(old.RemindAt) {
		remindedAt = nil // a new reminder time is a new reminder
	}
	_, err := tx.Exec(`UPDATE activities SET type = ?, title = ?, due_at = ?, all_day = ?, duration_min = ?, done_at = ?, outcome = ?,
		owner_id = ?, contact_id = ?, company_id = ?, deal_id = ?, notes = ?, location = ?, remind_at = ?, reminded_at = ?,
		updated_by = ?, updated_at = ?, version = ? WHERE workspace_id = ? AND id = ?`,
		a.Type, a.Title, nullTime(a.DueAt), a.AllDay, a.DurationMin, nullTime(a.DoneAt), a.Outcome,
		a.OwnerID, a.ContactID, a.CompanyID, a.DealID, a.Notes, a.Location, nullTime(a.RemindAt), remindedAt,
		p.UserID, store.Micros(tx.Now), a.Version, p.WorkspaceID, a.ID)
	if err != nil {
		return a, fmt.Errorf("activities: update %d: %w", a.ID, err)
	}
	if remindedAt == nil {
		a.RemindedAt = time.Time{}
	}
	if _, ok := ch["contacts"]; ok {
		if err := saveContacts(tx, p.WorkspaceID, a); err != nil {
			return a, err
		}
	}
	if _, ok := ch["due_at"]; ok && did == "changed" {
		did = "rescheduled"
	}
	return a, emitChanges(tx, p, old, a, crm.Updated, did, ch)
}

// MarkDone marks an activity done now, with an outcome ("" keeps the one
// it has). Marking a done activity done again changes nothing.
func MarkDone(tx *store.Tx, p crm.Principal, id crm.ID, outcome *string) (Activity, error) {
	return setDone(tx, p, id, true, outcome)
}

// MarkUndone opens a done activity again; its outcome stays.
func MarkUndone(tx *store.Tx, p crm.Principal, id crm.ID) (Activity, error) {
	return setDone(tx, p, id, false, nil)
}

func setDone(tx *store.Tx, p crm.Principal, id crm.ID, done bool, outcome *string) (Activity, error) {
	old, err := View(tx, p, id)
	if err != nil {
		return old, err
	}
	if err := account.Can(tx, p, account.ActUpdate, old.OwnerID); err != nil {
		return old, err
	}
	a := old
	if outcome != nil {
		a.Outcome = trim(*outcome)
		if len(a.Outcome) > MaxOutcome {
			return old, (crm.FieldErrors{"outcome": "The outcome is limited to 2,000 characters."}).Err()
		}
	}
	did := "completed"
	switch {
	case done && old.Done():
		if a.Outcome == old.Outcome {
			return old, nil
		}
		did = "changed"
	case done:
		a.DoneAt = tx.Now
	case !old.Done():
		return old, nil
	default:
		a.DoneAt, did = time.Time{}, "reopened"
	}
	return save(tx, p, old, a, diff(old, a), did)
}

// Delete moves an activity to the trash.
func Delete(tx *store.Tx, p crm.Principal, id crm.ID) error {
	a, err := View(tx, p, id)
	if err != nil {
		return err
	}
	if err := account.Can(tx, p, account.ActDelete, a.OwnerID); err != nil {
		return err
	}
	if _, err := tx.Exec(`UPDATE activities SET deleted_at = ?, updated_by = ? WHERE workspace_id = ? AND id = ?`,
		store.Micros(tx.Now), p.UserID, p.WorkspaceID, id); err != nil {
		return fmt.Errorf("activities: delete %d: %w", id, err)
	}
	return emit(tx, p, a, a, crm.Deleted, "deleted")
}
