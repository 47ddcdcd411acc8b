package privacy

import (
	"errors"
	"fmt"
	"os"
	"strings"

	"github.com/tandemcrm/tandem/internal/account"
	"github.com/tandemcrm/tandem/internal/audit"
	"github.com/tandemcrm/tandem/internal/crm"
	"github.com/tandemcrm/tandem/internal/secrets"
	"github.com/tandemcrm/tandem/internal/store"
)

// Service runs the privacy operations. FilesDir is data/files.
type Service struct {
	Registry *Registry
	FilesDir string
	// Suppress adds an erased person's identifiers to the workspace's
	// suppression list. Nil until the consent package provides it: see
	// SuppressIdentifiers.
	Suppress SuppressFunc
	Key      *secrets.Key // keyed hash of requesters' addresses (optional)
	Mail     Mailer       // system email for verification links (optional)
	BaseURL  string       // public address, for links in email
}

// SuppressFunc records that an identifier ("email", "phone") must never be
// contacted again, for reason.
type SuppressFunc func(tx *store.Tx, ws crm.ID, kind, value, reason string, actor crm.Actor) error

// Count is what one kind holds about a person.
type Count struct {
	Kind  string `json:"kind"`
	Title string `json:"title"`
	Rows  int    `json:"rows"`
}

// Report is the per-kind outcome of a preview or an erasure.
type Report struct {
	ContactID  crm.ID  `json:"contact_id"`
	Counts     []Count `json:"counts"`
	Suppressed int     `json:"suppressed"` // identifiers added to the suppression list
}

// Total is the number of rows across kinds.
func (r Report) Total() int {
	n := 0
	for _, c := range r.Counts {
		n += c.Rows
	}
	return n
}

// authorize lets owners and admins erase records they see; it returns the
// subject.
func (sv Service) authorize(tx *store.Tx, p crm.Principal, id crm.ID, act account.Action) (*Subject, error) {
	s, err := LoadSubject(tx, p.WorkspaceID, id)
	if err != nil {
		return nil, err
	}
	var owner crm.ID
	if err := tx.QueryRow(`SELECT owner_id FROM contacts WHERE workspace_id = ? AND id = ?`, p.WorkspaceID, id).Scan(&owner); err != nil {
		return nil, err
	}
	if err := account.Can(tx, p, account.ActView, owner); err != nil {
		return nil, err
	}
	if err := account.Can(tx, p, act, owner); err != nil {
		return nil, err
	}
	return s, nil
}

// Preview says, per kind, what erasing contact id would remove or anonymise.
func (sv Service) Preview(tx *store.Tx, p crm.Principal, id crm.ID) (Report, error) {
	s, err := sv.authorize(tx, p, id, account.ActAdmin)
	if err != nil {
		return Report{}, err
	}
	return sv.preview(tx, s)
}

// PreviewContact is Preview without a permission check (the CLI).
func (sv Service) PreviewContact(tx *store.Tx, ws, id crm.ID) (Report, error) {
	s, err := LoadSubject(tx, ws, id)
	if err != nil {
		return Report{}, err
	}
	return sv.preview(tx, s)
}

func (sv Service) preview(tx *store.Tx, s *Subject) (Report, error) {
	r := Report{ContactID: s.ContactID}
	for _, k := range sv.Registry.ContactKinds() {
		n, err := k.Count(tx, s)
		if err != nil {
			return r, fmt.Errorf("privacy: preview %s: %w", k.Name, err)
		}
		r.Counts = append(r.Counts, Count{Kind: k.Name, Title: k.Title, Rows: n})
	}
	return r, nil
}

// Erase deletes or irreversibly anonymises everything registered about
// contact id, as p (owners and admins).
func (sv Service) Erase(tx *store.Tx, p crm.Principal, id crm.ID) (Report, error) {
	if _, err := sv.authorize(tx, p, id, account.ActAdmin); err != nil {
		return Report{}, err
	}
	return sv.EraseContact(tx, p.WorkspaceID, id, p.Actor())
}

// EraseContact erases contact id of workspace ws without a permission check
// (the CLI, retention, fulfilled requests). It refuses under legal hold.
// Attachments leave the disk once the transaction commits.
func (sv Service) EraseContact(tx *store.Tx, ws, id crm.ID, actor crm.Actor) (Report, error) {
	s, err := LoadSubject(tx, ws, id)
	if err != nil {
		return Report{}, err
	}
	if h, err := GetHold(tx, ws, id); err == nil {
		return Report{}, crm.Errorf(crm.Conflict, "This person is under legal hold (%s) and cannot be erased. Lift the hold first.", h.Reason)
	} else if !errors.Is(err, errNoHold) {
		return Report{}, err
	}
	env := &Env{FilesDir: sv.FilesDir, Actor: actor}
	r := Report{ContactID: id}
	for _, k := range sv.Registry.ContactKinds() {
		n, err := k.Erase(tx, s, env)
		if err != nil {
			return r, fmt.Errorf("privacy: erase %s: %w", k.Name, err)
		}
		r.Counts = append(r.Counts, Count{Kind: k.Name, Title: k.Title, Rows: n})
	}
	if r.Suppressed, err = sv.SuppressIdentifiers(tx, s, actor); err != nil {
		return r, err
	}
	details := map[string]any{"erased": true}
	for _, c := range r.Counts {
		details[c.Kind] = c.Rows
	}
	if err := tx.Emit(crm.Event{WorkspaceID: ws, Actor: actor, ObjectType: "contact", ObjectID: id, Action: crm.Deleted,
		Changes: map[string]crm.Change{"erased": {After: true}}}); err != nil {
		return r, err
	}
	if _, err := audit.Record(tx, audit.Entry{WorkspaceID: ws, Actor: actor, Action: audit.DataErased,
		ObjectType: "contact", ObjectID: id, Details: details}); err != nil {
		return r, err
	}
	removals := env.removals
	tx.AfterCommit(func() {
		for _, path := range removals {
			_ = os.Remove(path) // a file already gone is fine
		}
	})
	return r, nil
}

// SuppressIdentifiers adds the person's emails and phones to the workspace's
// suppression list (kept as keyed hashes by the consent package), so they are
// not contacted, imported or re-created without permission again. With no
// Service.Suppress (tests) it does nothing and returns 0. Values that cannot
// be normalised (not an address, no digits) are skipped.
func (sv Service) SuppressIdentifiers(tx *store.Tx, s *Subject, actor crm.Actor) (int, error) {
	if sv.Suppress == nil {
		return 0, nil
	}
	n := 0
	add := func(kind, v string) error {
		if strings.TrimSpace(v) == "" {
			return nil
		}
		err := sv.Suppress(tx, s.WorkspaceID, kind, v, "erased", actor)
		if crm.ErrorCode(err) == crm.Invalid {
			return nil // not a usable address or number: nothing could be sent to it anyway
		}
		if err != nil {
			return fmt.Errorf("privacy: suppress: %w", err)
		}
		n++
		return nil
	}
	for _, e := range s.Emails {
		if err := add("email", e); err != nil {
			return n, err
		}
	}
	for _, p := range s.Phones {
		if err := add("phone", p); err != nil {
			return n, err
		}
	}
	return n, nil
}
