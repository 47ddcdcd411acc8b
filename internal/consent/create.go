package consent

import (
	"fmt"

	"github.com/tandemcrm/tandem/internal/crm"
	"github.com/tandemcrm/tandem/internal/store"
)

// CheckNewContact is the hook of the contact create path: it refuses a new
// contact any of whose e-mail addresses or phone numbers (already
// normalised by records) is suppressed, with a message on that field
// ("emails.0", "phones.1"), unless the workspace allows re-creation. A
// contact created that way stays suppressed: MayContact says no.
//
// A workspace with nothing suppressed is answered without hashing, so code
// that creates contacts without the instance key (tests, seeding) works
// until there is something to protect; then a missing key is an error.
func CheckNewContact(tx *store.Tx, ws crm.ID, emails, phones []string) error {
	if len(emails)+len(phones) == 0 {
		return nil
	}
	var n int
	if err := tx.QueryRow(`SELECT count(*) FROM (SELECT 1 FROM suppressions WHERE workspace_id = ? AND kind <> 'domain' LIMIT 1) AS s`,
		ws).Scan(&n); err != nil {
		return fmt.Errorf("consent: check suppressions: %w", err)
	}
	if n == 0 {
		return nil
	}
	s, err := Load(tx, ws)
	if err != nil || s.AllowRecreate {
		return err
	}
	fe := crm.FieldErrors{}
	check := func(kind Kind, field string, values []string) error {
		for i, v := range values {
			if _, err := Normalize(kind, v); err != nil {
				continue // records reports malformed values itself
			}
			sup, ok, err := find(tx, ws, kind, v)
			if err != nil {
				return err
			}
			if ok {
				fe.Add(fmt.Sprintf("%s.%d", field, i), suppressedMessage(kind, sup.Reason))
			}
		}
		return nil
	}
	if err := check(Email, "emails", emails); err != nil {
		return err
	}
	if err := check(Phone, "phones", phones); err != nil {
		return err
	}
	if len(fe) == 0 {
		return nil
	}
	return &crm.Error{Code: crm.Invalid, Message: first(fe), Fields: fe}
}

func first(fe crm.FieldErrors) string {
	for _, k := range []string{"emails.0", "emails.1", "phones.0"} {
		if m := fe[k]; m != "" {
			return m
		}
	}
	for _, m := range fe {
		return m
	}
	return ""
}
