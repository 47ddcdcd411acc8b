package consent

import (
	"fmt"

	"github.com/tandemcrm/tandem/internal/account"
	"github.com/tandemcrm/tandem/internal/crm"
	"github.com/tandemcrm/tandem/internal/store"
)

// The functions in this file are the ledger and the list as people use
// them, with the account rules applied: a contact one cannot see is not
// found; recording consent is changing the contact; anyone but read-only
// users may suppress an address; only owners and admins may lift a
// suppression, since that re-opens contact with someone who asked for none.

func contactOwner(tx *store.Tx, ws, contact crm.ID) (crm.ID, error) {
	var owner crm.ID
	err := tx.QueryRow(`SELECT owner_id FROM contacts WHERE workspace_id = ? AND id = ? AND deleted_at IS NULL`,
		ws, contact).Scan(&owner)
	if err == store.ErrNoRows {
		return 0, crm.Errorf(crm.NotFound, "No such contact.")
	}
	if err != nil {
		return 0, fmt.Errorf("consent: contact owner: %w", err)
	}
	return owner, nil
}

// RecordAs records consent for a contact on behalf of p.
func RecordAs(tx *store.Tx, p crm.Principal, contact crm.ID, in Entry) (Consent, error) {
	owner, err := contactOwner(tx, p.WorkspaceID, contact)
	if err != nil {
		return Consent{}, err
	}
	if err := account.Can(tx, p, account.ActUpdate, owner); err != nil {
		return Consent{}, err
	}
	return Record(tx, p.WorkspaceID, contact, in, p.Actor())
}

// ViewAs returns a contact's current consent and its history (newest first,
// at most limit entries) if p may see the contact.
func ViewAs(tx *store.Tx, p crm.Principal, contact crm.ID, limit int) ([]State, []Consent, error) {
	owner, err := contactOwner(tx, p.WorkspaceID, contact)
	if err != nil {
		return nil, nil, err
	}
	if err := account.Can(tx, p, account.ActView, owner); err != nil {
		return nil, nil, err
	}
	st, err := Current(tx, p.WorkspaceID, contact)
	if err != nil {
		return nil, nil, err
	}
	h, err := History(tx, p.WorkspaceID, contact, 0, limit)
	return st, h, err
}

// SuppressAs adds a value to the list on behalf of p and returns its entry.
func SuppressAs(tx *store.Tx, p crm.Principal, kind Kind, value, reason string) (Suppression, error) {
	if err := writer(p); err != nil {
		return Suppression{}, err
	}
	if err := Suppress(tx, p.WorkspaceID, kind, value, reason, p.Actor()); err != nil {
		return Suppression{}, err
	}
	s, _, err := find(tx, p.WorkspaceID, kind, value)
	return s, err
}

// UnsuppressAs lifts a suppression on behalf of p (owners and admins).
func UnsuppressAs(tx *store.Tx, p crm.Principal, kind Kind, value string) error {
	if err := account.Can(tx, p, account.ActAdmin, 0); crm.ErrorCode(err) == crm.Forbidden {
		return crm.Errorf(crm.Forbidden, "Only owners and admins can lift a suppression.")
	} else if err != nil {
		return err
	}
	return Unsuppress(tx, p.WorkspaceID, kind, value, p.Actor())
}

// ListAs lists the suppression list for any signed-in member: it shows
// kinds, reasons and dates, never a value.
func ListAs(tx *store.Tx, p crm.Principal, kind Kind, before crm.ID, limit int) ([]Suppression, error) {
	if p.WorkspaceID == 0 || !p.Role.Valid() {
		return nil, crm.Errorf(crm.Unauthorized, "Please sign in.")
	}
	if kind != "" && kind != Email && kind != Phone && kind != Domain {
		return nil, invalid("kind", "Choose email, phone or domain.")
	}
	return ListSuppressions(tx, p.WorkspaceID, kind, before, limit)
}

// CheckAs is MayContact for a signed-in member.
func CheckAs(tx *store.Tx, p crm.Principal, channel, address, purpose string) (Decision, error) {
	if p.WorkspaceID == 0 || !p.Role.Valid() {
		return Decision{}, crm.Errorf(crm.Unauthorized, "Please sign in.")
	}
	return MayContact(tx, p.WorkspaceID, channel, address, purpose)
}

func writer(p crm.Principal) error {
	if p.WorkspaceID == 0 || !p.Role.Valid() {
		return crm.Errorf(crm.Unauthorized, "Please sign in.")
	}
	if p.Role == crm.RoleReadOnly {
		return crm.Errorf(crm.Forbidden, "Your role is read-only; ask an admin for write access.")
	}
	return nil
}
