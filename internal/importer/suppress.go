package importer

import (
	"context"
	"fmt"
	"sort"

	"github.com/tandemcrm/tandem/internal/consent"
	"github.com/tandemcrm/tandem/internal/crm"
	"github.com/tandemcrm/tandem/internal/store"
)

// suppressionCheck is the default Options.SuppressionCheck: a contact row
// whose email or phone is on the workspace's suppression list (unsubscribed,
// erased, bounced) is left out, and the report says why — unless the
// workspace allows re-creating such people without contact permission
// (Settings → Consent). A workspace with nothing suppressed pays nothing.
func suppressionCheck(ctx context.Context, db *store.DB, ws crm.ID) (func(kind string, vals map[string]string) string, error) {
	var any bool
	err := db.Read(ctx, func(tx *store.Tx) error {
		var n int
		if err := tx.QueryRow(`SELECT count(*) FROM (SELECT 1 FROM suppressions WHERE workspace_id = ? AND kind <> 'domain' LIMIT 1) s`,
			ws).Scan(&n); err != nil {
			return err
		}
		if n == 0 {
			return nil
		}
		s, err := consent.Load(tx, ws)
		any = err == nil && !s.AllowRecreate
		return err
	})
	if err != nil || !any {
		return nil, err
	}
	return func(kind string, vals map[string]string) string {
		if kind != (Contacts{}).Name() || (vals["email"] == "" && vals["phone"] == "") {
			return ""
		}
		var emails, phones []string
		if vals["email"] != "" {
			emails = []string{vals["email"]}
		}
		if vals["phone"] != "" {
			phones = []string{vals["phone"]}
		}
		err := db.Read(ctx, func(tx *store.Tx) error { return consent.CheckNewContact(tx, ws, emails, phones) })
		if err == nil {
			return ""
		}
		fields := crm.ErrorFields(err)
		if len(fields) == 0 {
			return fmt.Sprintf("not imported: the suppression list could not be checked (%v)", err)
		}
		keys := make([]string, 0, len(fields))
		for k := range fields {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		return "not imported: " + fields[keys[0]]
	}, nil
}
