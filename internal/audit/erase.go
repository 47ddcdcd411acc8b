package audit

import (
	"fmt"
	"strings"

	"github.com/tandemcrm/tandem/internal/crm"
	"github.com/tandemcrm/tandem/internal/store"
)

// ErasePersonal blanks the personal fields (ip, user agent, details) of the
// given entries of workspace ws and returns how many it changed. The chain
// still verifies afterwards: see "Erasure without breaking the chain" in the
// package doc. The caller finds the entries (List by actor or object) and
// records the erasure itself as a new entry.
func ErasePersonal(tx *store.Tx, ws crm.ID, ids ...crm.ID) (int, error) {
	if len(ids) == 0 {
		return 0, nil
	}
	args := []any{erasedDetails, ws}
	marks := make([]string, len(ids))
	for i, id := range ids {
		marks[i] = "?"
		args = append(args, id)
	}
	n, err := tx.Exec(`UPDATE audit_log SET ip = '', user_agent = '', details = ?, pd_salt = ''
		WHERE workspace_id = ? AND id IN (`+strings.Join(marks, ", ")+`)`, args...)
	if err != nil {
		return 0, fmt.Errorf("audit: erase: %w", err)
	}
	return int(n), nil
}
