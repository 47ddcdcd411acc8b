package privacy

import (
	"errors"
	"strings"
	"time"

	"github.com/tandemcrm/tandem/internal/account"
	"github.com/tandemcrm/tandem/internal/audit"
	"github.com/tandemcrm/tandem/internal/crm"
	"github.com/tandemcrm/tandem/internal/store"
)

// Hold is a legal hold on a person: while it stands, they cannot be erased
// (by a request, an admin or a retention policy).
type Hold struct {
	ContactID crm.ID    `json:"contact_id"`
	Reason    string    `json:"reason"`
	SetBy     crm.ID    `json:"set_by"`
	SetAt     time.Time `json:"set_at"`
}

var errNoHold = errors.New("privacy: no legal hold")

// GetHold returns the hold on contact id, or an error wrapping errNoHold.
func GetHold(tx *store.Tx, ws, id crm.ID) (Hold, error) {
	h := Hold{ContactID: id}
	var at int64
	err := tx.QueryRow(`SELECT reason, set_by, set_at FROM legal_holds WHERE workspace_id = ? AND contact_id = ?`, ws, id).
		Scan(&h.Reason, &h.SetBy, &at)
	if errors.Is(err, store.ErrNoRows) {
		return h, errNoHold
	}
	h.SetAt = store.FromMicros(at)
	return h, err
}

// SetHold puts contact id under legal hold (owners and admins), or lifts it
// when reason is empty.
func SetHold(tx *store.Tx, p crm.Principal, id crm.ID, reason string) error {
	if err := account.Can(tx, p, account.ActAdmin, 0); err != nil {
		return err
	}
	if _, err := LoadSubject(tx, p.WorkspaceID, id); err != nil {
		return err
	}
	reason = strings.TrimSpace(reason)
	if len(reason) > 500 {
		return (crm.FieldErrors{"reason": "Keep the reason under 500 characters."}).Err()
	}
	if _, err := tx.Exec(`DELETE FROM legal_holds WHERE workspace_id = ? AND contact_id = ?`, p.WorkspaceID, id); err != nil {
		return err
	}
	action := "legal_hold.lifted"
	if reason != "" {
		action = "legal_hold.set"
		if _, err := tx.Exec(`INSERT INTO legal_holds (workspace_id, contact_id, reason, set_by, set_at) VALUES (?, ?, ?, ?, ?)`,
			p.WorkspaceID, id, reason, p.UserID, store.Micros(tx.Now)); err != nil {
			return err
		}
	}
	if err := tx.Emit(crm.Event{WorkspaceID: p.WorkspaceID, Actor: p.Actor(), ObjectType: "contact", ObjectID: id,
		Action: crm.Updated, Changes: map[string]crm.Change{"legal_hold": {After: reason}}}); err != nil {
		return err
	}
	_, err := audit.Record(tx, audit.Entry{WorkspaceID: p.WorkspaceID, Actor: p.Actor(), Action: action,
		ObjectType: "contact", ObjectID: id})
	return err
}
