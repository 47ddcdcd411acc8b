package privacy

import (
	"github.com/tandemcrm/tandem/internal/consent"
	"github.com/tandemcrm/tandem/internal/crm"
	"github.com/tandemcrm/tandem/internal/store"
)

// The consent package's data: the ledger is the person's and goes with
// them; the suppression list holds only keyed hashes and stays, because it
// is what keeps an erased person from being contacted again.

func consentKind() Kind {
	on := ` FROM consent_records WHERE workspace_id = ? AND contact_id = ?`
	return Kind{Name: "consent", Title: "Consent ledger", Tables: []string{"consent_records", "consent_current"}, About: AboutContacts,
		Description: "Each consent decision per purpose with its evidence (form and notice version, truncated IP, browser), and the current state.",
		Count: func(tx *store.Tx, s *Subject) (int, error) {
			return count(tx, `SELECT COUNT(*)`+on, s.WorkspaceID, s.ContactID)
		},
		Export: func(tx *store.Tx, s *Subject) ([]map[string]any, error) {
			return rowMaps(tx, `SELECT *`+on+` ORDER BY id`, s.WorkspaceID, s.ContactID)
		},
		Erase: func(tx *store.Tx, s *Subject, _ *Env) (int, error) {
			n, err := consent.ForgetContact(tx, s.WorkspaceID, s.ContactID)
			return int(n), err
		},
	}
}

func suppressionsKind() Kind {
	return Kind{Name: "suppressions", Title: "Suppression list", Tables: []string{"suppressions"}, About: AboutContacts,
		Description: "Addresses and numbers never to contact, stored only as keyed hashes. Kept after erasure: it is what stops contact.",
		Count:       func(*store.Tx, *Subject) (int, error) { return 0, nil },
		Export: func(tx *store.Tx, s *Subject) ([]map[string]any, error) {
			out := []map[string]any{}
			add := func(kind consent.Kind, v string) error {
				e, ok, err := consent.Lookup(tx, s.WorkspaceID, kind, v)
				if err != nil || !ok {
					return nil // an identifier that cannot be normalised is on no list
				}
				out = append(out, map[string]any{"kind": string(kind), "value": v, "reason": e.Reason, "since": e.CreatedAt})
				return nil
			}
			for _, e := range s.Emails {
				_ = add(consent.Email, e)
			}
			for _, p := range s.Phones {
				_ = add(consent.Phone, p)
			}
			return out, nil
		},
		Erase: func(*store.Tx, *Subject, *Env) (int, error) { return 0, nil },
	}
}

// ConsentSuppress is Service.Suppress backed by the consent package.
func ConsentSuppress(tx *store.Tx, ws crm.ID, kind, value, reason string, actor crm.Actor) error {
	return consent.Suppress(tx, ws, consent.Kind(kind), value, reason, actor)
}
