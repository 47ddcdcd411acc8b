package consent

import (
	"encoding/base64"
	"fmt"
	"slices"

	"github.com/tandemcrm/tandem/internal/crm"
	"github.com/tandemcrm/tandem/internal/store"
)

// SuppressionSet is a workspace's suppressed email addresses and phone
// numbers held in memory, for checking many new contacts at once (an
// import's rows): CheckNewContact costs a few queries per contact, which at
// a million rows is minutes. It holds only the first half of each keyed
// hash (128 bits, no chance of two addresses meeting in practice) and the
// reason, about 40 bytes an entry, in a map without pointers.
type SuppressionSet struct {
	ws      crm.ID
	hash    map[Kind]func(string) [32]byte
	entries map[setKey]uint8 // index into reasons
	reasons []string
}

type setKey struct {
	kind Kind
	sum  [16]byte
}

// LoadSuppressionSet reads the workspace's suppressed addresses and numbers
// (domains restrict sending, not creating). It returns nil when there is
// nothing to check: the list has none, or the workspace allows re-creating
// suppressed people without contact permission (Settings → Consent).
func LoadSuppressionSet(tx *store.Tx, ws crm.ID) (*SuppressionSet, error) {
	var n int
	if err := tx.QueryRow(`SELECT count(*) FROM (SELECT 1 FROM suppressions WHERE workspace_id = ? AND kind <> 'domain' LIMIT 1) AS s`,
		ws).Scan(&n); err != nil || n == 0 {
		return nil, wrapErr("check suppressions", err)
	}
	if s, err := Load(tx, ws); err != nil || s.AllowRecreate {
		return nil, err
	}
	k, err := key()
	if err != nil {
		return nil, err
	}
	set := &SuppressionSet{ws: ws, hash: map[Kind]func(string) [32]byte{}, entries: map[setKey]uint8{}}
	for _, kind := range []Kind{Email, Phone} {
		if set.hash[kind], err = k.Hasher("consent.suppression." + string(kind)); err != nil {
			return nil, fmt.Errorf("consent: hash: %w", err)
		}
	}
	rows, err := tx.Query(`SELECT kind, hash, reason FROM suppressions WHERE workspace_id = ? AND kind <> 'domain'`, ws)
	if err != nil {
		return nil, wrapErr("load suppressions", err)
	}
	defer rows.Close()
	for rows.Next() {
		var kind, h, reason string
		if err := rows.Scan(&kind, &h, &reason); err != nil {
			return nil, err
		}
		var sum [32]byte
		if n, err := base64.RawURLEncoding.Decode(sum[:], []byte(h)); err != nil || n != len(sum) {
			return nil, fmt.Errorf("consent: suppression hash %q is malformed", h)
		}
		i := slices.Index(set.reasons, reason)
		if i < 0 {
			i, set.reasons = len(set.reasons), append(set.reasons, reason)
		}
		set.entries[setKey{kind: Kind(kind), sum: [16]byte(sum[:16])}] = uint8(i)
	}
	return set, wrapErr("load suppressions", rows.Err())
}

// Len is how many addresses and numbers the set holds.
func (s *SuppressionSet) Len() int { return len(s.entries) }

// Reason says why value (an email address or a phone number, as kind says)
// may not be added to a contact: the message CheckNewContact gives, or ""
// when it is not suppressed. A malformed value is not suppressed (the
// caller reports malformed values itself). A nil set suppresses nothing.
func (s *SuppressionSet) Reason(kind Kind, value string) string {
	if s == nil {
		return ""
	}
	norm, err := Normalize(kind, value)
	if err != nil {
		return ""
	}
	sum := s.hash[kind](hashInput(s.ws, norm))
	r, ok := s.entries[setKey{kind: kind, sum: [16]byte(sum[:16])}]
	if !ok {
		return ""
	}
	return suppressedMessage(kind, s.reasons[r])
}

// suppressedMessage is the refusal of a suppressed address on a contact.
func suppressedMessage(kind Kind, reason string) string {
	return fmt.Sprintf("This %s is suppressed (%s), so it cannot be added to a contact. An admin can allow re-creation without contact permission in Settings → Consent.",
		map[Kind]string{Email: "email address", Phone: "phone number"}[kind], reason)
}

func wrapErr(what string, err error) error {
	if err == nil {
		return nil
	}
	return fmt.Errorf("consent: %s: %w", what, err)
}
