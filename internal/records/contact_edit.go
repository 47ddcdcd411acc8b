package records

import (
	"encoding/json"
	"fmt"
	"strings"

	"github.com/tandemcrm/tandem/internal/consent"
	"github.com/tandemcrm/tandem/internal/crm"
	"github.com/tandemcrm/tandem/internal/search"
	"github.com/tandemcrm/tandem/internal/store"
)

const contactCols = `c.id, c.first_name, c.last_name, c.email, c.emails, c.phone, c.phones, c.title, c.company_id,
	c.owner_id, c.lifecycle, c.source, c.street, c.city, c.state, c.postal_code, c.country, c.time_zone, c.links,
	c.tags, c.custom, c.created_by, c.updated_by, c.created_at, c.updated_at, c.version, c.company_since`

func scanContacts(tx *store.Tx, q string, args ...any) ([]Contact, error) {
	rows, err := tx.Query(q, args...)
	if err != nil {
		return nil, fmt.Errorf("records: contacts: %w", err)
	}
	defer rows.Close()
	var out []Contact
	for rows.Next() {
		var c Contact
		var emails, phones, links, tags, custom string
		var created, updated int64
		a := &c.Address
		if err := rows.Scan(&c.ID, &c.FirstName, &c.LastName, &c.Email, &emails, &c.Phone, &phones, &c.Title, &c.CompanyID,
			&c.OwnerID, &c.Lifecycle, &c.Source, &a.Street, &a.City, &a.State, &a.PostalCode, &a.Country, &c.TimeZone, &links,
			&tags, &custom, &c.CreatedBy, &c.UpdatedBy, &created, &updated, &c.Version, &c.CompanySince, &c.CompanyName); err != nil {
			return nil, err
		}
		c.CreatedAt, c.UpdatedAt = store.FromMicros(created), store.FromMicros(updated)
		for _, j := range []struct {
			src string
			dst any
		}{{emails, &c.Emails}, {phones, &c.Phones}, {links, &c.Links}, {tags, &c.Tags}, {custom, &c.Custom}} {
			if err := json.Unmarshal([]byte(j.src), j.dst); err != nil {
				return nil, fmt.Errorf("records: contact %d: %w", c.ID, err)
			}
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

// GetContact returns one contact of the workspace, or not found.
func GetContact(tx *store.Tx, ws, id crm.ID) (Contact, error) {
	cs, err := scanContacts(tx, `SELECT `+contactCols+`, COALESCE(co.name, '') FROM contacts c
		LEFT JOIN companies co ON co.workspace_id = c.workspace_id AND co.id = c.company_id
		WHERE c.workspace_id = ? AND c.id = ? AND c.deleted_at IS NULL`, ws, id)
	if err != nil {
		return Contact{}, err
	}
	if len(cs) == 0 {
		return Contact{}, errNoContact
	}
	return cs[0], nil
}

// ContactPatch changes some fields of a contact; nil leaves a field as it is.
// Custom is a merge patch: a key set to nil removes that value.
type ContactPatch struct {
	FirstName, LastName, Title, Source, Lifecycle *string
	Address                                       AddressPatch
	TimeZone                                      *string
	Links                                         *[]Link
	Emails                                        *[]EmailAddr
	Phones                                        *[]PhoneNum
	CompanyID, OwnerID                            *crm.ID
	Tags                                          *[]string
	Custom                                        map[string]any
}

// UpdateContact applies a patch. When ifVersion is not 0 it must equal the
// stored version (optimistic concurrency: If-Match), else conflict.
func UpdateContact(tx *store.Tx, p crm.Principal, id crm.ID, in ContactPatch, ifVersion int64) (Contact, error) {
	if err := canWrite(p); err != nil {
		return Contact{}, err
	}
	old, err := ViewContact(tx, p, id)
	if err != nil {
		return old, err
	}
	if ifVersion != 0 && ifVersion != old.Version {
		return old, crm.Errorf(crm.Conflict, "This contact was changed by someone else (version %d, not %d). Reload and try again.", old.Version, ifVersion)
	}
	c := old
	c.Emails, c.Phones, c.Tags = append([]EmailAddr(nil), old.Emails...), append([]PhoneNum(nil), old.Phones...), append([]string(nil), old.Tags...)
	c.Links = append([]Link(nil), old.Links...)
	set := func(dst *string, v *string) {
		if v != nil {
			*dst = *v
		}
	}
	set(&c.FirstName, in.FirstName)
	set(&c.LastName, in.LastName)
	set(&c.Title, in.Title)
	set(&c.Source, in.Source)
	set(&c.Lifecycle, in.Lifecycle)
	set(&c.TimeZone, in.TimeZone)
	in.Address.apply(&c.Address)
	if in.Links != nil {
		c.Links = *in.Links
	}
	if in.Emails != nil {
		c.Emails = *in.Emails
	}
	if in.Phones != nil {
		c.Phones = *in.Phones
	}
	if in.Tags != nil {
		c.Tags = *in.Tags
	}
	if in.CompanyID != nil {
		c.CompanyID = *in.CompanyID
	}
	if in.OwnerID != nil {
		c.OwnerID = *in.OwnerID
	}
	defs, err := ListFields(tx, p.WorkspaceID, "contact", true)
	if err != nil {
		return c, err
	}
	custom, fe := MergeCustom(defs, old.Custom, in.Custom, false)
	c.Custom = custom
	if err := validateContact(tx, p, &c, old.CompanyID, fe); err != nil {
		return c, err
	}
	// An address added to an existing person is checked like a new
	// contact's: an erased or unsubscribed address does not come back by an
	// edit. Addresses the contact already had are not re-checked.
	if err := refuseSuppressed(tx, p.WorkspaceID, addedAddresses(old, c)); err != nil {
		if f := crm.ErrorFields(err); f != nil {
			// The one-field editors and the API's email/phone shortcuts.
			if msg := f["emails.0"]; msg != "" {
				f["email"] = msg
			}
			if msg := f["phones.0"]; msg != "" {
				f["phone"] = msg
			}
		}
		return c, err
	}
	ch := diffContact(old, c)
	if len(ch) == 0 {
		return old, nil
	}
	c.Version, c.UpdatedAt, c.UpdatedBy = old.Version+1, tx.Now, p.UserID
	if c.CompanyID != old.CompanyID {
		// The person moved: the company they leave becomes a past one, in
		// this transaction and in this change's event.
		if err := leaveCompany(tx, p.WorkspaceID, old); err != nil {
			return c, err
		}
		if old.CompanyID != 0 {
			ch["past_company_id"] = crm.Change{After: old.CompanyID}
		}
		c.CompanySince = ""
		if c.CompanyID != 0 {
			c.CompanySince = day(tx.Now)
		}
	}
	n, err := tx.Exec(`UPDATE contacts SET first_name = ?, last_name = ?, email = ?, emails = ?, phone = ?, phone_digits = ?, phones = ?,
		title = ?, company_id = ?, owner_id = ?, lifecycle = ?, source = ?, street = ?, city = ?, state = ?, postal_code = ?, country = ?,
		time_zone = ?, links = ?, tags = ?, custom = ?, updated_by = ?, updated_at = ?, version = ?,
		company_since = ? WHERE workspace_id = ? AND id = ? AND version = ?`,
		c.FirstName, c.LastName, c.Email, jsonText(c.Emails), c.Phone, crm.Digits(c.Phone), jsonText(c.Phones), c.Title, c.CompanyID, c.OwnerID,
		c.Lifecycle, c.Source, c.Address.Street, c.Address.City, c.Address.State, c.Address.PostalCode, c.Address.Country,
		c.TimeZone, jsonText(c.Links), jsonText(c.Tags), jsonText(c.Custom), p.UserID, store.Micros(tx.Now), c.Version, c.CompanySince,
		p.WorkspaceID, id, old.Version)
	if err != nil {
		return c, fmt.Errorf("records: update contact: %w", err)
	}
	if n == 0 { // another writer committed between our read and this write
		return c, crm.Errorf(crm.Conflict, "This contact was changed meanwhile. Reload and try again.")
	}
	if err := indexContact(tx, p.WorkspaceID, c); err != nil {
		return c, err
	}
	return c, tx.Emit(crm.Event{WorkspaceID: p.WorkspaceID, Actor: p.Actor(), ObjectType: "contact", ObjectID: id,
		Action: crm.Updated, Changes: ch})
}

// DeleteContact moves a contact to the trash (kept for the retention period).
func DeleteContact(tx *store.Tx, p crm.Principal, id crm.ID) error {
	if err := canWrite(p); err != nil {
		return err
	}
	if _, err := ViewContact(tx, p, id); err != nil {
		return err
	}
	n, err := tx.Exec(`UPDATE contacts SET deleted_at = ?, updated_at = ?, version = version + 1
		WHERE workspace_id = ? AND id = ? AND deleted_at IS NULL`, store.Micros(tx.Now), store.Micros(tx.Now), p.WorkspaceID, id)
	if err != nil {
		return err
	}
	if n == 0 {
		return errNoContact
	}
	if err := search.Remove(tx, p.WorkspaceID, "contact", id); err != nil {
		return err
	}
	return tx.Emit(crm.Event{WorkspaceID: p.WorkspaceID, Actor: p.Actor(), ObjectType: "contact", ObjectID: id, Action: crm.Deleted})
}

// contactSorts are the columns contacts may be sorted by.
var contactSorts = map[string]string{"id": "id", "first_name": "first_name", "last_name": "last_name", "email": "email",
	"lifecycle": "lifecycle", "title": "title", "city": "city", "country": "country", "created_at": "created_at", "updated_at": "updated_at", "owner": "owner_id"}

// Page is one page of a list.
type Page[T any] struct {
	Items      []T
	Next       string // cursor of the next page, "" on the last
	Total      int    // matches, counted up to a cap
	TotalExact bool   // false when Total is the cap
}

// QueryContacts lists contacts matching a filter, sorted, one page at a time.
func QueryContacts(tx *store.Tx, p crm.Principal, q ListQuery) (Page[Contact], error) {
	var page Page[Contact]
	defs, err := ListFields(tx, p.WorkspaceID, "contact", false)
	if err != nil {
		return page, err
	}
	coDefs, err := ListFields(tx, p.WorkspaceID, "company", false)
	if err != nil {
		return page, err
	}
	keys, sortSpec, err := parseSort(q.Sort, contactSorts, "-created_at")
	if err != nil {
		return page, err
	}
	cur, err := decodeCursor(q.Cursor, sortSpec, len(keys))
	if err != nil {
		return page, err
	}
	purposes, err := consent.PurposeKeys(tx, p.WorkspaceID)
	if err != nil {
		return page, err
	}
	clause, args, err := where(tx, "c", p.WorkspaceID, ContactSchema("c", defs, coDefs, purposes...), q.Filter, p)
	if err != nil {
		return page, err
	}
	countClause, countArgs := clause, args
	order, after, afterArgs := keyset(keys, "c", cur)
	if after != "" {
		clause += " AND " + after
		args = append(args, afterArgs...)
	}
	limit := clampLimit(q.Limit)
	items, err := scanContacts(tx, `SELECT `+contactCols+`, COALESCE(co.name, '') FROM contacts c
		LEFT JOIN companies co ON co.workspace_id = c.workspace_id AND co.id = c.company_id
		WHERE `+clause+` ORDER BY `+order+` LIMIT ?`, append(args, limit+1)...)
	if err != nil {
		return page, err
	}
	if len(items) > limit {
		items = items[:limit]
		last := items[len(items)-1]
		vals := make([]any, len(keys))
		for i, k := range keys {
			vals[i] = contactSortValue(last, k.name)
		}
		page.Next = encodeCursor(cursorState{Sort: sortSpec, Values: vals, ID: last.ID})
	}
	page.Items = items
	if cur == nil { // later pages do not recount
		page.Total, page.TotalExact, err = firstPageTotal(tx, CountKey("contacts", p, q.Filter), "contacts", "c", countClause, countArgs, len(items), page.Next != "")
	}
	return page, err
}

func contactSortValue(c Contact, name string) any {
	switch name {
	case "first_name":
		return c.FirstName
	case "last_name":
		return c.LastName
	case "email":
		return c.Email
	case "lifecycle":
		return c.Lifecycle
	case "title":
		return c.Title
	case "city":
		return c.Address.City
	case "country":
		return c.Address.Country
	case "created_at":
		return store.Micros(c.CreatedAt)
	case "updated_at":
		return store.Micros(c.UpdatedAt)
	case "owner":
		return int64(c.OwnerID)
	}
	return int64(c.ID)
}

// addedAddresses is c's emails and phones with those old already had blanked
// out (blank ones are not checked), so that field errors keep their index.
func addedAddresses(old, c Contact) Contact {
	had := map[string]bool{}
	for _, e := range old.Emails {
		had["e:"+strings.ToLower(e.Email)] = true
	}
	for _, ph := range old.Phones {
		had["p:"+crm.Digits(ph.Phone)] = true
	}
	out := Contact{Emails: make([]EmailAddr, len(c.Emails)), Phones: make([]PhoneNum, len(c.Phones))}
	for i, e := range c.Emails {
		if !had["e:"+strings.ToLower(e.Email)] {
			out.Emails[i] = e
		}
	}
	for i, ph := range c.Phones {
		if !had["p:"+crm.Digits(ph.Phone)] {
			out.Phones[i] = ph
		}
	}
	return out
}
