package consent

import (
	"fmt"
	"regexp"
	"strings"

	"github.com/tandemcrm/tandem/internal/crm"
	"github.com/tandemcrm/tandem/internal/store"
)

// Purpose is something a workspace may contact or process a person for.
type Purpose struct {
	Key   string // marketing_email: what filters and the API say
	Label string // "Marketing email"
	// RequiresConsent: without granted consent the answer is no. Otherwise
	// the workspace relies on another basis (say, legitimate interest) and
	// only a withdrawal or denial stops contact.
	RequiresConsent bool
}

// DefaultPurposes are a new workspace's purposes.
var DefaultPurposes = []Purpose{
	{Key: "marketing_email", Label: "Marketing email", RequiresConsent: true},
	{Key: "sms", Label: "Text messages (SMS)", RequiresConsent: true},
	{Key: "calls", Label: "Phone calls", RequiresConsent: false},
	{Key: "tracking", Label: "Email open and click tracking", RequiresConsent: true},
	{Key: "profiling", Label: "Profiling and scoring", RequiresConsent: true},
}

// Tracking modes for open and click tracking.
const (
	TrackingOff     = "off"
	TrackingOn      = "on"      // on, unless the person withdrew or denied it
	TrackingConsent = "consent" // only for people who granted "tracking"
)

// Settings are the workspace's privacy switches.
type Settings struct {
	// AllowRecreate: a contact whose address is suppressed may be created
	// (it stays suppressed, so MayContact says no). Off: creation is refused.
	AllowRecreate bool
	Tracking      string
	Purposes      []Purpose
}

var purposeKey = regexp.MustCompile(`^[a-z][a-z0-9_]{0,39}$`)

// Purposes returns the workspace's purposes in order; the defaults until
// the workspace saves its own.
func Purposes(tx *store.Tx, ws crm.ID) ([]Purpose, error) {
	rows, err := tx.Query(`SELECT purpose, label, requires_consent FROM consent_purposes
		WHERE workspace_id = ? ORDER BY position, purpose`, ws)
	if err != nil {
		return nil, fmt.Errorf("consent: purposes: %w", err)
	}
	defer rows.Close()
	var out []Purpose
	for rows.Next() {
		var p Purpose
		var req int64
		if err := rows.Scan(&p.Key, &p.Label, &req); err != nil {
			return nil, err
		}
		p.RequiresConsent = req != 0
		out = append(out, p)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	if len(out) == 0 {
		out = append(out, DefaultPurposes...)
	}
	return out, nil
}

// PurposeKeys lists the keys of the workspace's purposes.
func PurposeKeys(tx *store.Tx, ws crm.ID) ([]string, error) {
	ps, err := Purposes(tx, ws)
	if err != nil {
		return nil, err
	}
	keys := make([]string, len(ps))
	for i, p := range ps {
		keys[i] = p.Key
	}
	return keys, nil
}

func purposeByKey(ps []Purpose, key string) (Purpose, bool) {
	for _, p := range ps {
		if p.Key == key {
			return p, true
		}
	}
	return Purpose{}, false
}

// Load returns the workspace's settings, defaults included.
func Load(tx *store.Tx, ws crm.ID) (Settings, error) {
	s := Settings{Tracking: TrackingConsent}
	var allow int64
	err := tx.QueryRow(`SELECT allow_recreate, tracking FROM consent_settings WHERE workspace_id = ?`, ws).
		Scan(&allow, &s.Tracking)
	if err != nil && err != store.ErrNoRows {
		return s, fmt.Errorf("consent: settings: %w", err)
	}
	s.AllowRecreate = allow != 0
	if s.Purposes, err = Purposes(tx, ws); err != nil {
		return s, err
	}
	return s, nil
}

// Save validates and stores the workspace's settings. Only owners and admins
// may change them. Removing a purpose keeps its history in the ledger.
func Save(tx *store.Tx, p crm.Principal, s Settings) error {
	if p.Role.Rank() < crm.RoleAdmin.Rank() {
		return crm.Errorf(crm.Forbidden, "Only owners and admins can change privacy settings.")
	}
	ws := p.WorkspaceID
	if err := validateSettings(&s); err != nil {
		return err
	}
	before, err := Load(tx, ws)
	if err != nil {
		return err
	}
	now := store.Micros(tx.Now)
	if _, err := tx.Exec(`INSERT INTO consent_settings (workspace_id, allow_recreate, tracking, updated_at) VALUES (?, ?, ?, ?)
		ON CONFLICT (workspace_id) DO UPDATE SET allow_recreate = excluded.allow_recreate, tracking = excluded.tracking,
		updated_at = excluded.updated_at`, ws, boolInt(s.AllowRecreate), s.Tracking, now); err != nil {
		return fmt.Errorf("consent: save settings: %w", err)
	}
	if _, err := tx.Exec(`DELETE FROM consent_purposes WHERE workspace_id = ?`, ws); err != nil {
		return fmt.Errorf("consent: save purposes: %w", err)
	}
	for i, pu := range s.Purposes {
		if _, err := tx.Exec(`INSERT INTO consent_purposes (workspace_id, purpose, label, requires_consent, position, updated_at)
			VALUES (?, ?, ?, ?, ?, ?)`, ws, pu.Key, pu.Label, boolInt(pu.RequiresConsent), i, now); err != nil {
			return fmt.Errorf("consent: save purposes: %w", err)
		}
	}
	return tx.Emit(crm.Event{WorkspaceID: ws, Actor: p.Actor(), ObjectType: "workspace", ObjectID: ws, Action: crm.Updated,
		Changes: settingsDiff(before, s)})
}

func validateSettings(s *Settings) error {
	fe := crm.FieldErrors{}
	switch s.Tracking {
	case TrackingOff, TrackingOn, TrackingConsent:
	default:
		fe.Add("tracking", "Choose off, on or consent.")
	}
	if len(s.Purposes) == 0 || len(s.Purposes) > 30 {
		fe.Add("purposes", "Keep between 1 and 30 purposes.")
	}
	seen := map[string]bool{}
	for i := range s.Purposes {
		pu := &s.Purposes[i]
		pu.Key, pu.Label = strings.TrimSpace(pu.Key), strings.TrimSpace(pu.Label)
		field := fmt.Sprintf("purposes.%d", i)
		switch {
		case !purposeKey.MatchString(pu.Key):
			fe.Add(field, "A purpose key is lower-case letters, digits and _, starting with a letter (marketing_email).")
		case seen[pu.Key]:
			fe.Add(field, "Each purpose key may appear once.")
		case pu.Label == "" || len(pu.Label) > 100:
			fe.Add(field, "Give each purpose a label of at most 100 characters.")
		}
		seen[pu.Key] = true
	}
	return fe.Err()
}

func settingsDiff(a, b Settings) map[string]crm.Change {
	ch := map[string]crm.Change{}
	if a.AllowRecreate != b.AllowRecreate {
		ch["privacy_allow_recreate"] = crm.Change{Before: a.AllowRecreate, After: b.AllowRecreate}
	}
	if a.Tracking != b.Tracking {
		ch["privacy_tracking"] = crm.Change{Before: a.Tracking, After: b.Tracking}
	}
	keys := func(ps []Purpose) string {
		var k []string
		for _, p := range ps {
			r := ""
			if p.RequiresConsent {
				r = "*"
			}
			k = append(k, p.Key+r)
		}
		return strings.Join(k, ", ")
	}
	if ka, kb := keys(a.Purposes), keys(b.Purposes); ka != kb {
		ch["consent_purposes"] = crm.Change{Before: ka, After: kb}
	}
	return ch
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}
