package consent

import (
	"fmt"

	"github.com/tandemcrm/tandem/internal/crm"
	"github.com/tandemcrm/tandem/internal/store"
)

// ForgetContact deletes a contact's consent ledger and current state, for
// erasure: the entries hold the person's network and user agent. It returns
// how many ledger entries went. The suppression list is separate and stays —
// it is what keeps an erased person from being contacted again (erasure
// adds their identifiers with Suppress, reason "erased").
func ForgetContact(tx *store.Tx, ws, contact crm.ID) (int64, error) {
	n, err := tx.Exec(`DELETE FROM consent_records WHERE workspace_id = ? AND contact_id = ?`, ws, contact)
	if err != nil {
		return 0, fmt.Errorf("consent: forget contact: %w", err)
	}
	if _, err := tx.Exec(`DELETE FROM consent_current WHERE workspace_id = ? AND contact_id = ?`, ws, contact); err != nil {
		return 0, fmt.Errorf("consent: forget contact: %w", err)
	}
	return n, nil
}
