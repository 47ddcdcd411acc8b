package consent

import (
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/tandemcrm/tandem/internal/audit"
	"github.com/tandemcrm/tandem/internal/crm"
	"github.com/tandemcrm/tandem/internal/store"
)

// Statuses of consent for a purpose.
var Statuses = []string{"granted", "withdrawn", "denied"}

// Bases are the lawful bases of processing (GDPR art. 6(1)).
var Bases = []string{"consent", "contract", "legal_obligation", "vital_interest", "public_task", "legitimate_interest"}

// Sources say how a consent entry reached Tandem.
var Sources = []string{"form", "import", "api", "manual", "email_reply", "preference_centre"}

// Entry is what recording consent takes: the decision and its evidence.
type Entry struct {
	Purpose       string
	Status        string
	Basis         string    // "" means consent
	Source        string    // "" means manual
	NoticeVersion string    // the form or privacy-notice version shown
	IP            string    // stored truncated to /24 or /48
	UserAgent     string    // stored up to 300 bytes
	At            time.Time // when the person decided; zero means now
	ImportID      crm.ID    // the import that recorded it (internal/importer); 0 otherwise
}

// Consent is one ledger entry.
type Consent struct {
	ID            crm.ID
	ContactID     crm.ID
	Purpose       string
	Status        string
	Basis         string
	Source        string
	NoticeVersion string
	IP            string
	UserAgent     string
	At            time.Time // evidence timestamp
	Actor         crm.Actor // who recorded it
	CreatedAt     time.Time
	ImportID      crm.ID // the import that recorded it, or that a "reverted" entry takes back
}

// Record appends an entry to the contact's ledger, makes it the current
// state of its purpose and writes a contact event, so the change shows on
// the contact's timeline. The caller has checked that the actor may see and
// change the contact (records.GetContact); here the contact must exist in ws.
func Record(tx *store.Tx, ws, contact crm.ID, in Entry, actor crm.Actor) (Consent, error) {
	if err := contactExists(tx, ws, contact); err != nil {
		return Consent{}, err
	}
	return record(tx, ws, contact, in, actor)
}

// RecordStaged is Record for a contact an import has written to its staging
// table and moves into contacts after its last row (internal/importer): the
// importer has found the contact there, so the ledger does not look for it.
func RecordStaged(tx *store.Tx, ws, contact crm.ID, in Entry, actor crm.Actor) (Consent, error) {
	return record(tx, ws, contact, in, actor)
}

func record(tx *store.Tx, ws, contact crm.ID, in Entry, actor crm.Actor) (Consent, error) {
	ps, err := Purposes(tx, ws)
	if err != nil {
		return Consent{}, err
	}
	c, err := validateEntry(tx, ps, in)
	if err != nil {
		return Consent{}, err
	}
	c.ID, c.ContactID, c.Actor, c.CreatedAt = tx.NewID(), contact, actor, tx.Now
	prev, _, err := current(tx, ws, contact, c.Purpose)
	if err != nil {
		return Consent{}, err
	}
	now := store.Micros(tx.Now)
	if _, err := tx.Exec(`INSERT INTO consent_records (id, workspace_id, contact_id, purpose, status, basis, source,
		notice_version, ip, user_agent, evidence_at, actor_type, actor_id, created_at, import_id)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		c.ID, ws, contact, c.Purpose, c.Status, c.Basis, c.Source, c.NoticeVersion, c.IP, c.UserAgent,
		store.Micros(c.At), actorType(actor), actor.ID, now, c.ImportID); err != nil {
		return Consent{}, fmt.Errorf("consent: record: %w", err)
	}
	if _, err := tx.Exec(`INSERT INTO consent_current (workspace_id, contact_id, purpose, status, basis, record_id, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (workspace_id, contact_id, purpose) DO UPDATE SET
		status = excluded.status, basis = excluded.basis, record_id = excluded.record_id, updated_at = excluded.updated_at`,
		ws, contact, c.Purpose, c.Status, c.Basis, c.ID, now); err != nil {
		return Consent{}, fmt.Errorf("consent: record current: %w", err)
	}
	return c, tx.Emit(crm.Event{WorkspaceID: ws, Actor: actor, ObjectType: "contact", ObjectID: contact, Action: crm.Updated,
		Changes: map[string]crm.Change{"consent " + c.Purpose: {Before: prev, After: c.Status + " (" + c.Source + ")"}}})
}

func validateEntry(tx *store.Tx, ps []Purpose, in Entry) (Consent, error) {
	c := Consent{Purpose: strings.TrimSpace(in.Purpose), Status: in.Status, Basis: in.Basis, Source: in.Source,
		NoticeVersion: strings.TrimSpace(in.NoticeVersion), At: in.At.UTC().Truncate(time.Microsecond), ImportID: in.ImportID}
	if c.Basis == "" {
		c.Basis = "consent"
	}
	if c.Source == "" {
		c.Source = "manual"
	}
	if c.At.IsZero() {
		c.At = tx.Now
	}
	fe := crm.FieldErrors{}
	if _, ok := purposeByKey(ps, c.Purpose); !ok {
		keys := make([]string, len(ps))
		for i, p := range ps {
			keys[i] = p.Key
		}
		fe.Add("purpose", "Choose a purpose: "+strings.Join(keys, ", ")+".")
	}
	if !slices.Contains(Statuses, c.Status) {
		fe.Add("status", "Choose granted, withdrawn or denied.")
	}
	if !slices.Contains(Bases, c.Basis) {
		fe.Add("basis", "Choose a lawful basis: "+strings.Join(Bases, ", ")+".")
	}
	if !slices.Contains(Sources, c.Source) {
		fe.Add("source", "Choose a source: "+strings.Join(Sources, ", ")+".")
	}
	if len(c.NoticeVersion) > 100 {
		fe.Add("notice_version", "The notice version is limited to 100 characters.")
	}
	if ip := strings.TrimSpace(in.IP); ip != "" {
		if c.IP = audit.TruncateIP(ip); c.IP == "" {
			fe.Add("ip", "Enter an IPv4 or IPv6 address.")
		}
	}
	c.UserAgent = clip(strings.TrimSpace(in.UserAgent), 300)
	if c.At.After(tx.Now.Add(5 * time.Minute)) {
		fe.Add("at", "The time of the decision cannot be in the future.")
	}
	return c, fe.Err()
}

// clip cuts s to at most n bytes without splitting a character.
func clip(s string, n int) string {
	if len(s) <= n {
		return s
	}
	s = s[:n]
	for !utf8.ValidString(s) {
		s = s[:len(s)-1]
	}
	return s
}

func contactExists(tx *store.Tx, ws, contact crm.ID) error {
	var n int
	if err := tx.QueryRow(`SELECT count(*) FROM contacts WHERE workspace_id = ? AND id = ? AND deleted_at IS NULL`,
		ws, contact).Scan(&n); err != nil {
		return fmt.Errorf("consent: find contact: %w", err)
	}
	if n == 0 {
		return crm.Errorf(crm.NotFound, "No such contact.")
	}
	return nil
}

// current returns the status of one purpose for a contact, "" when none.
func current(tx *store.Tx, ws, contact crm.ID, purpose string) (string, bool, error) {
	var s string
	err := tx.QueryRow(`SELECT status FROM consent_current WHERE workspace_id = ? AND contact_id = ? AND purpose = ?`,
		ws, contact, purpose).Scan(&s)
	if err == store.ErrNoRows {
		return "", false, nil
	}
	if err != nil {
		return "", false, fmt.Errorf("consent: current: %w", err)
	}
	return s, true, nil
}

// State is the current consent of one purpose for a contact.
type State struct {
	Purpose Purpose
	Status  string // "" when nothing is recorded
	Latest  Consent
}

// Current returns the contact's state for every purpose of the workspace,
// in the workspace's order, with the latest entry behind each.
func Current(tx *store.Tx, ws, contact crm.ID) ([]State, error) {
	ps, err := Purposes(tx, ws)
	if err != nil {
		return nil, err
	}
	latest := map[string]Consent{}
	rows, err := tx.Query(`SELECT r.id, r.purpose, r.status, r.basis, r.source, r.notice_version, r.ip, r.user_agent,
		r.evidence_at, r.actor_type, r.actor_id, r.created_at, r.import_id
		FROM consent_current cc JOIN consent_records r ON r.workspace_id = cc.workspace_id AND r.id = cc.record_id
		WHERE cc.workspace_id = ? AND cc.contact_id = ?`, ws, contact)
	if err != nil {
		return nil, fmt.Errorf("consent: current: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		c, err := scanConsent(rows, contact)
		if err != nil {
			return nil, err
		}
		latest[c.Purpose] = c
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	out := make([]State, len(ps))
	for i, p := range ps {
		out[i].Purpose = p
		if c, ok := latest[p.Key]; ok {
			out[i].Status, out[i].Latest = c.Status, c
		}
	}
	return out, nil
}

// History returns the contact's ledger, newest first, before the entry id
// before (0: from the newest), at most limit entries.
func History(tx *store.Tx, ws, contact crm.ID, before crm.ID, limit int) ([]Consent, error) {
	if limit <= 0 || limit > 500 {
		limit = 100
	}
	if before == 0 {
		before = crm.ID(1<<63 - 1)
	}
	rows, err := tx.Query(`SELECT id, purpose, status, basis, source, notice_version, ip, user_agent, evidence_at,
		actor_type, actor_id, created_at, import_id FROM consent_records
		WHERE workspace_id = ? AND contact_id = ? AND id < ? ORDER BY id DESC LIMIT ?`, ws, contact, before, limit)
	if err != nil {
		return nil, fmt.Errorf("consent: history: %w", err)
	}
	defer rows.Close()
	var out []Consent
	for rows.Next() {
		c, err := scanConsent(rows, contact)
		if err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

func scanConsent(rows *store.Rows, contact crm.ID) (Consent, error) {
	c := Consent{ContactID: contact}
	var at, created int64
	if err := rows.Scan(&c.ID, &c.Purpose, &c.Status, &c.Basis, &c.Source, &c.NoticeVersion, &c.IP, &c.UserAgent,
		&at, &c.Actor.Type, &c.Actor.ID, &created, &c.ImportID); err != nil {
		return c, err
	}
	c.At, c.CreatedAt = store.FromMicros(at), store.FromMicros(created)
	return c, nil
}
