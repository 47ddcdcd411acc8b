package consent

import (
	"fmt"
	"strings"

	"github.com/tandemcrm/tandem/internal/crm"
	"github.com/tandemcrm/tandem/internal/store"
)

// Decision is the answer to "may we contact this address for this purpose
// now?", with a reason a person can read.
type Decision struct {
	Allowed bool
	Reason  string
}

// MayContact is the one check every sender (email, sequences, SMS, calls)
// must make before contacting someone. channel is "email", "sms" or "phone"
// ("call" and "calls" mean phone); address is the e-mail address or number;
// purpose is one of the workspace's purposes. In order:
//
//   - the address (or, for e-mail, its domain) is suppressed → no;
//   - a contact with this address withdrew or denied consent for the
//     purpose → no;
//   - the purpose requires consent → yes only if a contact with this
//     address granted it;
//   - otherwise → yes.
//
// Contacts are matched on their primary address or number.
func MayContact(tx *store.Tx, ws crm.ID, channel, address, purpose string) (Decision, error) {
	kind, err := channelKind(channel)
	if err != nil {
		return Decision{}, err
	}
	norm, err := Normalize(kind, address)
	if err != nil {
		return Decision{}, err
	}
	ps, err := Purposes(tx, ws)
	if err != nil {
		return Decision{}, err
	}
	p, ok := purposeByKey(ps, purpose)
	if !ok {
		return Decision{}, invalid("purpose", fmt.Sprintf("%q is not a purpose of this workspace.", purpose))
	}
	if d, stop, err := suppressedDecision(tx, ws, kind, norm); err != nil || stop {
		return d, err
	}
	statuses, err := statusesFor(tx, ws, kind, norm, p.Key)
	if err != nil {
		return Decision{}, err
	}
	label := strings.ToLower(p.Label)
	for _, s := range []string{"withdrawn", "denied"} {
		if statuses[s] {
			return Decision{Reason: fmt.Sprintf("Consent to %s was %s.", label, s)}, nil
		}
	}
	switch {
	case statuses["granted"]:
		return Decision{Allowed: true, Reason: fmt.Sprintf("Consent to %s is granted.", label)}, nil
	case p.RequiresConsent:
		return Decision{Reason: fmt.Sprintf("%s requires consent, and none is recorded for this %s.", p.Label, kind)}, nil
	}
	return Decision{Allowed: true, Reason: fmt.Sprintf("%s does not require consent in this workspace, and no objection is recorded.", p.Label)}, nil
}

func channelKind(channel string) (Kind, error) {
	switch strings.ToLower(channel) {
	case "email":
		return Email, nil
	case "sms", "phone", "call", "calls":
		return Phone, nil
	}
	return "", invalid("channel", "Choose a channel: email, sms or phone.")
}

func suppressedDecision(tx *store.Tx, ws crm.ID, kind Kind, norm string) (Decision, bool, error) {
	s, ok, err := find(tx, ws, kind, norm)
	if err != nil {
		return Decision{}, false, err
	}
	if ok {
		return Decision{Reason: fmt.Sprintf("This %s is on the suppression list (%s).", kind, s.Reason)}, true, nil
	}
	if kind != Email {
		return Decision{}, false, nil
	}
	d := DomainOf(norm)
	if s, ok, err = find(tx, ws, Domain, d); err != nil || !ok {
		return Decision{}, false, err
	}
	return Decision{Reason: fmt.Sprintf("The domain %s is on the suppression list (%s).", d, s.Reason)}, true, nil
}

// statusesFor collects the current statuses of purpose among the live
// contacts whose primary address or number is norm.
func statusesFor(tx *store.Tx, ws crm.ID, kind Kind, norm, purpose string) (map[string]bool, error) {
	q := `SELECT cc.status FROM consent_current cc JOIN contacts c ON c.workspace_id = cc.workspace_id AND c.id = cc.contact_id
		WHERE cc.workspace_id = ? AND cc.purpose = ? AND c.deleted_at IS NULL AND `
	args := []any{ws, purpose}
	if kind == Email {
		q += `c.email = ?`
		args = append(args, norm)
	} else {
		// phone_digits keeps every digit as written: "+44…" and "0044…".
		q += `c.phone_digits IN (?, ?)`
		args = append(args, norm, "00"+norm)
	}
	rows, err := tx.Query(q, args...)
	if err != nil {
		return nil, fmt.Errorf("consent: statuses: %w", err)
	}
	defer rows.Close()
	out := map[string]bool{}
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			return nil, err
		}
		out[s] = true
	}
	return out, rows.Err()
}

// TrackingAllowed says whether opens and clicks of mail to contact may be
// tracked: never when the workspace turned tracking off; when it is on,
// unless the person withdrew or denied "tracking" (a Global Privacy Control
// or Do Not Track signal records exactly that); in consent mode, only when
// they granted it.
func TrackingAllowed(tx *store.Tx, ws, contact crm.ID) (bool, error) {
	s, err := Load(tx, ws)
	if err != nil {
		return false, err
	}
	if s.Tracking == TrackingOff {
		return false, nil
	}
	st, _, err := current(tx, ws, contact, "tracking")
	if err != nil {
		return false, err
	}
	if s.Tracking == TrackingOn {
		return st != "withdrawn" && st != "denied", nil
	}
	return st == "granted", nil
}
