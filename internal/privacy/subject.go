package privacy

import (
	"encoding/json"
	"errors"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/tandemcrm/tandem/internal/crm"
	"github.com/tandemcrm/tandem/internal/store"
)

// Subject is the person a privacy operation is about: one contact, with the
// identifiers by which data about them is found outside their own rows
// (a note on a deal that names them, an event payload, an email).
type Subject struct {
	WorkspaceID crm.ID
	ContactID   crm.ID
	Name        string   // "First Last"
	Emails      []string // lower-cased
	Phones      []string // as stored
	CompanyID   crm.ID
	Deleted     bool // in the trash
}

// Redacted replaces identifiers in text that erasure cannot delete.
const Redacted = "[erased]"

// LoadSubject reads contact id of workspace ws, live or in the trash.
func LoadSubject(tx *store.Tx, ws, id crm.ID) (*Subject, error) {
	s := &Subject{WorkspaceID: ws, ContactID: id}
	var first, last, email, phone, emails, phones string
	var deleted *int64
	err := tx.QueryRow(`SELECT first_name, last_name, email, phone, CAST(emails AS TEXT), CAST(phones AS TEXT), company_id, deleted_at
		FROM contacts WHERE workspace_id = ? AND id = ?`, ws, id).
		Scan(&first, &last, &email, &phone, &emails, &phones, &s.CompanyID, &deleted)
	if errors.Is(err, store.ErrNoRows) {
		return nil, crm.Errorf(crm.NotFound, "No such contact.")
	}
	if err != nil {
		return nil, fmt.Errorf("privacy: load contact %d: %w", id, err)
	}
	s.Deleted = deleted != nil
	s.Name = strings.TrimSpace(first + " " + last)
	var es []struct{ Email string }
	var ps []struct{ Phone string }
	_ = json.Unmarshal([]byte(emails), &es)
	_ = json.Unmarshal([]byte(phones), &ps)
	add := func(list []string, v string) []string {
		v = strings.TrimSpace(v)
		if v == "" || slices.Contains(list, v) {
			return list
		}
		return append(list, v)
	}
	s.Emails = add(s.Emails, strings.ToLower(email))
	for _, e := range es {
		s.Emails = add(s.Emails, strings.ToLower(e.Email))
	}
	s.Phones = add(s.Phones, phone)
	for _, p := range ps {
		s.Phones = add(s.Phones, p.Phone)
	}
	return s, nil
}

// FindContacts returns the ids of the workspace's contacts (live or in the
// trash) that have email as one of their addresses.
func FindContacts(tx *store.Tx, ws crm.ID, email string) ([]crm.ID, error) {
	email = strings.ToLower(strings.TrimSpace(email))
	if email == "" {
		return nil, crm.Errorf(crm.Invalid, "Give an email address.")
	}
	rows, err := tx.Query(`SELECT id, lower(email), lower(CAST(emails AS TEXT)) FROM contacts
		WHERE workspace_id = ? AND (lower(email) = ? OR lower(CAST(emails AS TEXT)) LIKE ? ESCAPE '!') ORDER BY id`,
		ws, email, "%"+likeEscape(email)+"%")
	if err != nil {
		return nil, fmt.Errorf("privacy: find contacts: %w", err)
	}
	defer rows.Close()
	var out []crm.ID
	for rows.Next() {
		var id crm.ID
		var primary, all string
		if err := rows.Scan(&id, &primary, &all); err != nil {
			return nil, err
		}
		var es []struct{ Email string }
		_ = json.Unmarshal([]byte(all), &es)
		match := primary == email
		for _, e := range es {
			match = match || strings.ToLower(e.Email) == email
		}
		if match {
			out = append(out, id)
		}
	}
	return out, rows.Err()
}

// Identifiers are the strings that, found anywhere, point at the person:
// their email addresses, phone numbers (as written and as digits) and full
// name. Anything shorter than four characters would match too much.
func (s *Subject) Identifiers() []string {
	var out []string
	add := func(v string) {
		v = strings.TrimSpace(v)
		if len(v) >= 4 && !slices.ContainsFunc(out, func(x string) bool { return strings.EqualFold(x, v) }) {
			out = append(out, v)
		}
	}
	for _, e := range s.Emails {
		add(e)
	}
	for _, p := range s.Phones {
		add(p)
		add(digits(p))
	}
	if strings.Contains(s.Name, " ") { // a lone first name is not an identifier
		add(s.Name)
	}
	// Longest first, so "jane@x.example" is redacted before a shorter
	// identifier could split it.
	slices.SortFunc(out, func(a, b string) int { return len(b) - len(a) })
	return out
}

func digits(s string) string {
	return strings.Map(func(r rune) rune {
		if r >= '0' && r <= '9' {
			return r
		}
		return -1
	}, s)
}

// Scrub replaces every identifier of s in text, ignoring case.
func (s *Subject) Scrub(text string) string {
	for _, id := range s.Identifiers() {
		text = regexp.MustCompile(`(?i)`+regexp.QuoteMeta(id)).ReplaceAllLiteralString(text, Redacted)
	}
	return text
}

// ScrubJSON scrubs the strings (keys and values) inside a JSON document and
// re-encodes it, so an identifier containing a quote cannot break it. Text
// that is not JSON is scrubbed as text.
func (s *Subject) ScrubJSON(doc string) string {
	var v any
	if err := json.Unmarshal([]byte(doc), &v); err != nil {
		return s.Scrub(doc)
	}
	b, err := json.Marshal(s.scrubValue(v))
	if err != nil {
		return s.Scrub(doc)
	}
	return string(b)
}

func (s *Subject) scrubValue(v any) any {
	switch x := v.(type) {
	case string:
		return s.Scrub(x)
	case []any:
		for i := range x {
			x[i] = s.scrubValue(x[i])
		}
		return x
	case map[string]any:
		out := make(map[string]any, len(x))
		for k, val := range x {
			out[s.Scrub(k)] = s.scrubValue(val)
		}
		return out
	}
	return v
}

// mentions builds "(lower(CAST(c AS TEXT)) LIKE ? OR …)" over cols for
// every identifier, with its arguments.
func (s *Subject) mentions(cols ...string) (string, []any) {
	var parts []string
	var args []any
	for _, id := range s.Identifiers() {
		for _, c := range cols {
			parts = append(parts, `lower(CAST(`+c+` AS TEXT)) LIKE ? ESCAPE '!'`)
			args = append(args, "%"+likeEscape(strings.ToLower(id))+"%")
		}
	}
	if len(parts) == 0 {
		return "1 = 0", nil
	}
	return "(" + strings.Join(parts, " OR ") + ")", args
}

func likeEscape(s string) string {
	return strings.NewReplacer("!", "!!", "%", "!%", "_", "!_").Replace(s)
}

// Env is what erasure and export need beyond the transaction.
type Env struct {
	FilesDir string    // data/files: where attachments live
	Actor    crm.Actor // who is acting, for events and the audit log
	// removals are files to delete once the transaction has committed.
	removals []string
}

func count(tx *store.Tx, q string, args ...any) (int, error) {
	var n int
	if err := tx.QueryRow(q, args...).Scan(&n); err != nil {
		return 0, fmt.Errorf("privacy: count: %w", err)
	}
	return n, nil
}

// rowMaps reads whole rows as maps for export. Times (…_at columns, stored
// as Unix microseconds) become RFC 3339; bytes become text.
func rowMaps(tx *store.Tx, q string, args ...any) ([]map[string]any, error) {
	rows, err := tx.Query(q, args...)
	if err != nil {
		return nil, fmt.Errorf("privacy: export: %w", err)
	}
	defer rows.Close()
	cols, err := rows.Columns()
	if err != nil {
		return nil, err
	}
	out := []map[string]any{}
	for rows.Next() {
		vals := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		if err := rows.Scan(ptrs...); err != nil {
			return nil, err
		}
		m := make(map[string]any, len(cols))
		for i, c := range cols {
			m[c] = exportValue(c, vals[i])
		}
		out = append(out, m)
	}
	return out, rows.Err()
}

func exportValue(col string, v any) any {
	switch x := v.(type) {
	case []byte:
		v = string(x)
	case int64:
		if strings.HasSuffix(col, "_at") && x > 0 {
			return time.UnixMicro(x).UTC().Format(time.RFC3339)
		}
		if strings.HasSuffix(col, "id") { // ids are strings in Tandem's JSON
			return crm.ID(x).String()
		}
	case int32:
		return int64(x)
	}
	if s, ok := v.(string); ok && (strings.HasPrefix(s, "{") || strings.HasPrefix(s, "[")) {
		var j any
		if json.Unmarshal([]byte(s), &j) == nil {
			return j
		}
	}
	return v
}
