package consent

import (
	"net/http"
	"slices"
	"strings"

	"github.com/tandemcrm/tandem/internal/crm"
	"github.com/tandemcrm/tandem/internal/store"
)

// Subject is the actor for changes the person makes themself (preference
// centre, public forms).
func Subject(contact crm.ID) crm.Actor { return crm.Actor{Type: "contact", ID: contact} }

// OptOutPurposes are the purposes a Global Privacy Control or Do Not Track
// signal opts out of.
var OptOutPurposes = []string{"tracking", "profiling"}

// PrivacySignal reports whether a request carries Global Privacy Control
// (Sec-GPC: 1) or Do Not Track (DNT: 1), and which.
func PrivacySignal(r *http.Request) (string, bool) {
	switch {
	case r.Header.Get("Sec-GPC") == "1":
		return "Sec-GPC", true
	case r.Header.Get("DNT") == "1":
		return "DNT", true
	}
	return "", false
}

// HonourOptOut records a privacy signal as an opt-out of tracking and
// profiling for contact: "withdrawn" where consent was granted, "denied"
// where nothing was recorded, and nothing where the person already said no,
// so repeated visits do not grow the ledger, and nothing where the person
// granted it themself in the preference centre. ev carries the evidence (IP,
// user agent, notice version); source says where the signal was seen
// (preference_centre, form). It returns the purposes it changed.
func HonourOptOut(tx *store.Tx, ws, contact crm.ID, source, signal string, ev Entry) ([]string, error) {
	states, err := Current(tx, ws, contact)
	if err != nil {
		return nil, err
	}
	var changed []string
	for _, s := range states {
		key, st := s.Purpose.Key, s.Status
		if !slices.Contains(OptOutPurposes, key) || st == "withdrawn" || st == "denied" || explicitChoice(s.Latest) {
			continue
		}
		e := ev
		e.Purpose, e.Source, e.Basis, e.Status = key, source, "consent", "denied"
		if st == "granted" {
			e.Status = "withdrawn"
		}
		if e.NoticeVersion == "" {
			e.NoticeVersion = "signal:" + signal
		}
		if _, err := Record(tx, ws, contact, e, Subject(contact)); err != nil {
			return nil, err
		}
		changed = append(changed, key)
	}
	return changed, nil
}

// explicitChoice reports an entry the person made themself, by choosing in
// the preference centre (not through a signal): a yes given there, with the
// signal on, is their decision and is not overridden by the next visit.
func explicitChoice(c Consent) bool {
	return c.Actor.Type == "contact" && c.Source == "preference_centre" && !strings.HasPrefix(c.NoticeVersion, "signal:")
}

// SetPreferences records the choices a person made in the preference
// centre: for each purpose present in choices ("granted" or "withdrawn"),
// an entry when it differs from the current state. It returns how many
// purposes changed.
func SetPreferences(tx *store.Tx, ws, contact crm.ID, choices map[string]string, ev Entry) (int, error) {
	states, err := Current(tx, ws, contact)
	if err != nil {
		return 0, err
	}
	n := 0
	for _, s := range states {
		want, ok := choices[s.Purpose.Key]
		if !ok || want == s.Status || (want == "withdrawn" && s.Status == "denied") {
			continue
		}
		if want != "granted" && want != "withdrawn" {
			return n, invalid(s.Purpose.Key, "Choose yes or no.")
		}
		if want == "withdrawn" && s.Status == "" {
			want = "denied" // never granted: saying no is a denial
		}
		e := ev
		e.Purpose, e.Status, e.Source, e.Basis = s.Purpose.Key, want, "preference_centre", "consent"
		if _, err := Record(tx, ws, contact, e, Subject(contact)); err != nil {
			return n, err
		}
		n++
	}
	return n, nil
}
