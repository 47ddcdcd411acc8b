package records

import (
	"fmt"
	"slices"
	"strings"

	"github.com/tandemcrm/tandem/internal/consent"
	"github.com/tandemcrm/tandem/internal/crm"
	"github.com/tandemcrm/tandem/internal/search"
	"github.com/tandemcrm/tandem/internal/store"
)

// Duplicate is another contact that may be the same person, and why.
type Duplicate struct {
	Contact Contact
	Reasons []string // "same email", "same phone", "same name"
}

// FindDuplicates returns the visible contacts that share an email, the
// primary phone's digits, or the full name with c (never c itself).
func FindDuplicates(tx *store.Tx, p crm.Principal, c Contact) ([]Duplicate, error) {
	var conds []string
	var args []any
	emails := []any{}
	for _, e := range c.Emails {
		emails = append(emails, e.Email)
	}
	if len(emails) > 0 {
		conds = append(conds, "c.email IN ("+placeholders(len(emails))+")")
		args = append(args, emails...)
	}
	if d := crm.Digits(c.Phone); len(d) >= 5 {
		conds = append(conds, "c.phone_digits = ?")
		args = append(args, d)
	}
	if c.FirstName != "" && c.LastName != "" {
		conds = append(conds, "(lower(c.first_name) = ? AND lower(c.last_name) = ?)")
		args = append(args, strings.ToLower(c.FirstName), strings.ToLower(c.LastName))
	}
	if len(conds) == 0 {
		return nil, nil
	}
	clause, wargs, err := where(tx, "c", p.WorkspaceID, ContactSchema("c", nil, nil), "", p)
	if err != nil {
		return nil, err
	}
	found, err := scanContacts(tx, `SELECT `+contactCols+`, COALESCE(co.name, '') FROM contacts c
		LEFT JOIN companies co ON co.workspace_id = c.workspace_id AND co.id = c.company_id
		WHERE `+clause+` AND c.id <> ? AND (`+strings.Join(conds, " OR ")+`) ORDER BY c.id LIMIT 20`,
		append(append(wargs, c.ID), args...)...)
	if err != nil {
		return nil, err
	}
	out := make([]Duplicate, 0, len(found))
	for _, f := range found {
		d := Duplicate{Contact: f}
		for _, e := range c.Emails {
			if e.Email == f.Email {
				d.Reasons = append(d.Reasons, "same email")
				break
			}
		}
		if crm.Digits(c.Phone) != "" && crm.Digits(c.Phone) == crm.Digits(f.Phone) {
			d.Reasons = append(d.Reasons, "same phone")
		}
		if strings.EqualFold(c.FirstName, f.FirstName) && strings.EqualFold(c.LastName, f.LastName) && c.FirstName != "" {
			d.Reasons = append(d.Reasons, "same name")
		}
		out = append(out, d)
	}
	return out, nil
}

func placeholders(n int) string { return strings.TrimSuffix(strings.Repeat("?, ", n), ", ") }

// MergeFields are the fields a person picks between two contacts; true
// takes the other contact's value. The address is taken whole (one
// person's street with the other's city would be nobody's address).
// Emails, phones, links and tags are united.
var MergeFields = []string{"first_name", "last_name", "title", "company_id", "owner_id", "lifecycle", "source", "address", "time_zone"}

// MergeContacts folds contact `from` into `into`: the chosen fields (and
// custom values named "custom.<key>") come from `from`, emails, phones and
// tags are united, every deal, activity, note and past company of `from`
// moves to `into`, and so do its attached files, its consent ledger
// (consent.Merge) and a legal hold on it,
// and `from` goes to the trash marked as merged. Both timelines record it.
func MergeContacts(tx *store.Tx, p crm.Principal, into, from crm.ID, takeFrom map[string]bool) (Contact, error) {
	if into == from {
		return Contact{}, (crm.FieldErrors{"from": "Choose another contact to merge."}).Err()
	}
	a, err := ViewContact(tx, p, into)
	if err != nil {
		return a, err
	}
	b, err := ViewContact(tx, p, from)
	if err != nil {
		return a, (crm.FieldErrors{"from": "No such contact."}).Err()
	}
	defs, err := ListFields(tx, p.WorkspaceID, "contact", false)
	if err != nil {
		return a, err
	}
	if err := checkTake(takeFrom, MergeFields, defs); err != nil {
		return a, err
	}
	// Custom values go through the patch in their API form, like any edit.
	a.Custom, b.Custom = PresentCustom(defs, a.Custom), PresentCustom(defs, b.Custom)
	patch := mergePatch(a, b, takeFrom)
	merged, err := UpdateContact(tx, p, into, patch, 0)
	if err != nil {
		return merged, err
	}
	for _, q := range []string{
		`UPDATE deals SET contact_id = ? WHERE workspace_id = ? AND contact_id = ?`,
		`UPDATE activities SET contact_id = ? WHERE workspace_id = ? AND contact_id = ?`,
		`UPDATE contact_companies SET contact_id = ? WHERE workspace_id = ? AND contact_id = ?`,
	} {
		if _, err := tx.Exec(q, into, p.WorkspaceID, from); err != nil {
			return merged, err
		}
	}
	// Deals where the other contact was one of several: it becomes this one,
	// unless this one is already on the deal (as primary or other).
	for _, q := range []struct {
		sql  string
		args []any
	}{
		{`UPDATE deal_contacts SET contact_id = ? WHERE workspace_id = ? AND contact_id = ? AND deal_id NOT IN
			(SELECT x.deal_id FROM deal_contacts x WHERE x.workspace_id = ? AND x.contact_id = ?)`, []any{into, p.WorkspaceID, from, p.WorkspaceID, into}},
		{`DELETE FROM deal_contacts WHERE workspace_id = ? AND contact_id = ?`, []any{p.WorkspaceID, from}},
		{`DELETE FROM deal_contacts WHERE workspace_id = ? AND contact_id = ? AND deal_id IN
			(SELECT d.id FROM deals d WHERE d.workspace_id = ? AND d.contact_id = ?)`, []any{p.WorkspaceID, into, p.WorkspaceID, into}},
	} {
		if _, err := tx.Exec(q.sql, q.args...); err != nil {
			return merged, err
		}
	}
	// Taking part in activities moves too; where both took part in one, the
	// survivor's row is the one kept.
	if _, err := tx.Exec(`UPDATE activity_contacts SET contact_id = ? WHERE workspace_id = ? AND contact_id = ?
		AND activity_id NOT IN (SELECT activity_id FROM activity_contacts WHERE workspace_id = ? AND contact_id = ?)`,
		into, p.WorkspaceID, from, p.WorkspaceID, into); err != nil {
		return merged, err
	}
	if _, err := tx.Exec(`DELETE FROM activity_contacts WHERE workspace_id = ? AND contact_id = ?`, p.WorkspaceID, from); err != nil {
		return merged, err
	}
	// Notes and attached files move (a file left on the trashed contact was
	// out of sight, and went with it when the trash was emptied).
	for _, table := range []string{"notes", "files"} {
		if _, err := tx.Exec(`UPDATE `+table+` SET object_id = ? WHERE workspace_id = ? AND object_type = 'contact' AND object_id = ?`,
			into, p.WorkspaceID, from); err != nil {
			return merged, err
		}
	}
	// A legal hold on the other contact now covers what moved: the
	// survivor is held too (its own hold, if any, stays as it is).
	if _, err := tx.Exec(`INSERT INTO legal_holds (workspace_id, contact_id, reason, set_by, set_at)
		SELECT workspace_id, ?, reason, set_by, set_at FROM legal_holds WHERE workspace_id = ? AND contact_id = ?
		ON CONFLICT (workspace_id, contact_id) DO NOTHING`, into, p.WorkspaceID, from); err != nil {
		return merged, err
	}
	if err := consent.Merge(tx, p.WorkspaceID, into, from); err != nil {
		return merged, err
	}
	if _, err := tx.Exec(`UPDATE contacts SET deleted_at = ?, merged_into = ?, version = version + 1 WHERE workspace_id = ? AND id = ?`,
		store.Micros(tx.Now), into, p.WorkspaceID, from); err != nil {
		return merged, err
	}
	if err := search.Remove(tx, p.WorkspaceID, "contact", from); err != nil {
		return merged, err
	}
	if err := tx.Emit(crm.Event{WorkspaceID: p.WorkspaceID, Actor: p.Actor(), ObjectType: "contact", ObjectID: from, Action: crm.Deleted,
		Changes: map[string]crm.Change{"merged_into": {After: into.String()}}}); err != nil {
		return merged, err
	}
	err = tx.Emit(crm.Event{WorkspaceID: p.WorkspaceID, Actor: p.Actor(), ObjectType: "contact", ObjectID: into, Action: crm.Updated,
		Changes: map[string]crm.Change{"merged": {After: fmt.Sprintf("%s (%s)", b.Name(), from)}}})
	return merged, err
}

// checkTake refuses a merge asked to take a field that is not one to
// choose (fields, or "custom.<key>" of a defined field): misspelt, it would
// silently keep the survivor's value instead.
func checkTake(take map[string]bool, fields []string, defs []FieldDef) error {
	for k, on := range take {
		if !on || slices.Contains(fields, k) {
			continue
		}
		if key, ok := strings.CutPrefix(k, "custom."); ok && slices.ContainsFunc(defs, func(d FieldDef) bool { return d.Key == key }) {
			continue
		}
		return (crm.FieldErrors{"take": fmt.Sprintf("%q is not a field to take; use %s, or custom.<key> of a custom field.",
			k, strings.Join(fields, ", "))}).Err()
	}
	return nil
}

func mergePatch(a, b Contact, take map[string]bool) ContactPatch {
	pick := func(field, av, bv string) *string {
		if take[field] || av == "" {
			return &bv
		}
		return &av
	}
	patch := ContactPatch{
		FirstName: pick("first_name", a.FirstName, b.FirstName), LastName: pick("last_name", a.LastName, b.LastName),
		Title: pick("title", a.Title, b.Title), Lifecycle: pick("lifecycle", a.Lifecycle, b.Lifecycle),
		Source: pick("source", a.Source, b.Source), Custom: map[string]any{},
	}
	if take["company_id"] || a.CompanyID == 0 {
		patch.CompanyID = &b.CompanyID
	}
	if take["owner_id"] {
		patch.OwnerID = &b.OwnerID
	}
	patch.TimeZone = pick("time_zone", a.TimeZone, b.TimeZone)
	if take["address"] || a.Address.IsZero() {
		patch.Address = b.Address.patch()
	}
	links := append([]Link(nil), a.Links...)
	for _, l := range b.Links {
		if !slices.ContainsFunc(links, func(x Link) bool { return x.URL == l.URL }) {
			links = append(links, l)
		}
	}
	patch.Links = &links
	emails := append([]EmailAddr(nil), a.Emails...)
	for _, e := range b.Emails {
		if !slices.ContainsFunc(emails, func(x EmailAddr) bool { return x.Email == e.Email }) {
			emails = append(emails, e)
		}
	}
	phones := append([]PhoneNum(nil), a.Phones...)
	for _, ph := range b.Phones {
		if !slices.ContainsFunc(phones, func(x PhoneNum) bool { return crm.Digits(x.Phone) == crm.Digits(ph.Phone) }) {
			phones = append(phones, ph)
		}
	}
	tags := cleanOptions(append(append([]string(nil), a.Tags...), b.Tags...))
	patch.Emails, patch.Phones, patch.Tags = &emails, &phones, &tags
	for k, v := range b.Custom {
		if _, has := a.Custom[k]; take["custom."+k] || !has {
			patch.Custom[k] = v
		}
	}
	return patch
}
