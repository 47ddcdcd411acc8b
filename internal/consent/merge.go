package consent

import (
	"fmt"

	"github.com/tandemcrm/tandem/internal/crm"
	"github.com/tandemcrm/tandem/internal/store"
)

// Merge moves the ledger of contact from to contact into when from is
// merged into into (records.MergeContacts, in its transaction): they are
// one person, so what either recorded is that person's. The entries move
// with their evidence untouched, and so the survivor's history holds both.
// Per purpose, the current state is the one set last; at the same moment a
// withdrawal or denial wins over a grant. Without this, a merged-away
// contact's withdrawal went to the trash with it and MayContact, which
// reads live contacts only, no longer saw it.
func Merge(tx *store.Tx, ws, into, from crm.ID) error {
	type state struct {
		status, basis string
		record        crm.ID
		updated       int64
	}
	read := func(contact crm.ID) (map[string]state, error) {
		rows, err := tx.Query(`SELECT purpose, status, basis, record_id, updated_at FROM consent_current
			WHERE workspace_id = ? AND contact_id = ?`, ws, contact)
		if err != nil {
			return nil, fmt.Errorf("consent: merge: %w", err)
		}
		defer rows.Close()
		out := map[string]state{}
		for rows.Next() {
			var p string
			var s state
			if err := rows.Scan(&p, &s.status, &s.basis, &s.record, &s.updated); err != nil {
				return nil, err
			}
			out[p] = s
		}
		return out, rows.Err()
	}
	theirs, err := read(from)
	if err != nil || len(theirs) == 0 {
		if err == nil {
			_, err = tx.Exec(`UPDATE consent_records SET contact_id = ? WHERE workspace_id = ? AND contact_id = ?`, into, ws, from)
		}
		return err
	}
	ours, err := read(into)
	if err != nil {
		return err
	}
	for purpose, t := range theirs {
		o, ok := ours[purpose]
		if ok && (o.updated > t.updated || (o.updated == t.updated && !restrictive(t.status))) {
			continue
		}
		if _, err := tx.Exec(`INSERT INTO consent_current (workspace_id, contact_id, purpose, status, basis, record_id, updated_at)
			VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (workspace_id, contact_id, purpose) DO UPDATE SET
			status = excluded.status, basis = excluded.basis, record_id = excluded.record_id, updated_at = excluded.updated_at`,
			ws, into, purpose, t.status, t.basis, t.record, t.updated); err != nil {
			return fmt.Errorf("consent: merge current: %w", err)
		}
	}
	if _, err := tx.Exec(`DELETE FROM consent_current WHERE workspace_id = ? AND contact_id = ?`, ws, from); err != nil {
		return fmt.Errorf("consent: merge current: %w", err)
	}
	if _, err := tx.Exec(`UPDATE consent_records SET contact_id = ? WHERE workspace_id = ? AND contact_id = ?`, into, ws, from); err != nil {
		return fmt.Errorf("consent: merge ledger: %w", err)
	}
	return nil
}

// restrictive reports whether a status forbids contact.
func restrictive(status string) bool { return status == "withdrawn" || status == "denied" }
