package records

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/mail"
	"slices"
	"strings"
	"time"

	"github.com/tandemcrm/tandem/internal/consent"
	"github.com/tandemcrm/tandem/internal/crm"
	"github.com/tandemcrm/tandem/internal/store"
)

// EmailAddr is one of a person's email addresses; the first is primary.
type EmailAddr struct {
	Email string `json:"email"`
	Label string `json:"label,omitempty"`
}

// PhoneNum is one of a person's phone numbers; the first is primary.
type PhoneNum struct {
	Phone string `json:"phone"`
	Label string `json:"label,omitempty"`
}

// Contact is a person.
type Contact struct {
	ID          crm.ID
	FirstName   string
	LastName    string
	Email       string // the primary address, Emails[0]
	Emails      []EmailAddr
	Phone       string // the primary number, Phones[0]
	Phones      []PhoneNum
	Title       string
	CompanyID   crm.ID
	CompanyName string // filled by lists
	// CompanySince is the day (YYYY-MM-DD) the company last changed by an
	// edit, "" when unknown; it becomes started_on when the person moves on.
	CompanySince string
	OwnerID      crm.ID
	Lifecycle    string
	Source       string
	Address      Address
	TimeZone     string // an IANA name, "" unknown
	Links        []Link
	Tags         []string
	Custom       map[string]any // stored form; see PresentCustom
	CreatedBy    crm.ID         // the member who created it (0 when unknown)
	UpdatedBy    crm.ID
	CreatedAt    time.Time
	UpdatedAt    time.Time
	Version      int64
}

// Name is the display name.
func (c Contact) Name() string {
	n := strings.TrimSpace(c.FirstName + " " + c.LastName)
	if n == "" {
		return c.Email
	}
	return n
}

// NewContact is what creating a contact takes. Email and Phone are shortcuts
// for a single primary address and number.
type NewContact struct {
	FirstName, LastName, Email string
	CompanyID                  crm.ID
	Emails                     []EmailAddr
	Phone                      string
	Phones                     []PhoneNum
	Title, Source, Lifecycle   string
	OwnerID                    crm.ID // 0: the creator
	Address                    Address
	TimeZone                   string
	Links                      []Link
	Tags                       []string
	Custom                     map[string]any
}

// CreateContact validates and stores a contact.
func CreateContact(tx *store.Tx, p crm.Principal, in NewContact) (Contact, error) {
	if err := canWrite(p); err != nil {
		return Contact{}, err
	}
	c := Contact{FirstName: in.FirstName, LastName: in.LastName, Emails: in.Emails, Phones: in.Phones,
		Title: in.Title, Source: in.Source, Lifecycle: in.Lifecycle, CompanyID: in.CompanyID, OwnerID: in.OwnerID,
		Tags: in.Tags, Address: in.Address, TimeZone: in.TimeZone, Links: in.Links, CreatedBy: p.UserID, UpdatedBy: p.UserID,
		CreatedAt: tx.Now, UpdatedAt: tx.Now, Version: 1}
	if len(c.Emails) == 0 && in.Email != "" {
		c.Emails = []EmailAddr{{Email: in.Email}}
	}
	if len(c.Phones) == 0 && in.Phone != "" {
		c.Phones = []PhoneNum{{Phone: in.Phone}}
	}
	if c.Lifecycle == "" {
		c.Lifecycle = "lead"
	}
	if c.OwnerID == 0 {
		c.OwnerID = p.UserID
	}
	defs, err := ListFields(tx, p.WorkspaceID, "contact", true)
	if err != nil {
		return c, err
	}
	custom, fe := MergeCustom(defs, nil, in.Custom, true)
	c.Custom = custom
	if err := validateContact(tx, p, &c, 0, fe); err != nil {
		return c, shortcutErrors(err, in)
	}
	if err := refuseSuppressed(tx, p.WorkspaceID, c); err != nil {
		return c, shortcutErrors(err, in)
	}
	c.ID = tx.NewID()
	if err := insertContact(tx, p, c); err != nil {
		return c, err
	}
	if err := indexContact(tx, p.WorkspaceID, c); err != nil {
		return c, err
	}
	return c, tx.Emit(crm.Event{WorkspaceID: p.WorkspaceID, Actor: p.Actor(), ObjectType: "contact", ObjectID: c.ID,
		Action: crm.Created, Changes: diffContact(Contact{}, c)})
}

// refuseSuppressed is the consent hook of the create path: a new contact
// whose address is on the suppression list is refused, unless the workspace
// allows re-creation (see consent.CheckNewContact).
func refuseSuppressed(tx *store.Tx, ws crm.ID, c Contact) error {
	return consent.CheckNewContact(tx, ws, EmailsOf(c.Emails), PhonesOf(c.Phones))
}

// shortcutErrors names the email and phone fields as the caller wrote them:
// a form with one email field gets its message on "email", not "emails.0".
func shortcutErrors(err error, in NewContact) error {
	f := crm.ErrorFields(err)
	if f == nil {
		return err
	}
	if msg := f["emails.0"]; msg != "" && in.Email != "" && len(in.Emails) == 0 {
		f["email"] = msg
	}
	if msg := f["phones.0"]; msg != "" && in.Phone != "" && len(in.Phones) == 0 {
		f["phone"] = msg
	}
	return err
}

func insertContact(tx *store.Tx, p crm.Principal, c Contact) error {
	now := store.Micros(tx.Now)
	_, err := tx.Exec(`INSERT INTO contacts (id, workspace_id, first_name, last_name, email, emails, phone, phone_digits, phones, title,
		company_id, owner_id, lifecycle, source, street, city, state, postal_code, country, time_zone, links,
		tags, custom, created_by, updated_by, created_at, updated_at, version)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		c.ID, p.WorkspaceID, c.FirstName, c.LastName, c.Email, jsonText(c.Emails), c.Phone, crm.Digits(c.Phone), jsonText(c.Phones), c.Title,
		c.CompanyID, c.OwnerID, c.Lifecycle, c.Source, c.Address.Street, c.Address.City, c.Address.State, c.Address.PostalCode,
		c.Address.Country, c.TimeZone, jsonText(c.Links), jsonText(c.Tags), jsonText(c.Custom), p.UserID, p.UserID, now, now, c.Version)
	if err != nil {
		return fmt.Errorf("records: create contact: %w", err)
	}
	return nil
}

// validateContact normalises c in place and collects every problem. A
// company other than was (the one it is linked to already) must be one p
// may see.
func validateContact(tx *store.Tx, p crm.Principal, c *Contact, was crm.ID, fe crm.FieldErrors) error {
	ws := p.WorkspaceID
	c.FirstName, c.LastName = strings.TrimSpace(c.FirstName), strings.TrimSpace(c.LastName)
	c.Title, c.Source = strings.TrimSpace(c.Title), strings.TrimSpace(c.Source)
	for i := range c.Emails {
		c.Emails[i].Email = strings.ToLower(strings.TrimSpace(c.Emails[i].Email))
		if a, err := mail.ParseAddress(c.Emails[i].Email); err != nil || a.Address != c.Emails[i].Email {
			fe.Add(fmt.Sprintf("emails.%d", i), "Enter a valid email address, like name@example.com.")
		}
	}
	for i := range c.Phones {
		c.Phones[i].Phone = strings.TrimSpace(c.Phones[i].Phone)
		if n := len(crm.Digits(c.Phones[i].Phone)); n < 5 || n > 20 {
			fe.Add(fmt.Sprintf("phones.%d", i), "Enter a phone number with 5 to 20 digits.")
		}
	}
	c.Email, c.Phone = "", ""
	if len(c.Emails) > 0 {
		c.Email = c.Emails[0].Email
	}
	if len(c.Phones) > 0 {
		c.Phone = c.Phones[0].Phone
	}
	c.Tags = cleanOptions(c.Tags)
	c.Address.normalize(fe)
	c.Links = normalizeLinks(c.Links, fe)
	if tz, ok := CheckTimeZone(c.TimeZone); ok {
		c.TimeZone = tz
	} else {
		fe.Add("time_zone", "Choose a time zone such as Europe/Berlin or America/New_York.")
	}
	switch {
	case c.FirstName == "" && c.LastName == "" && c.Email == "":
		fe.Add("first_name", "Enter a name or an email address.")
	case chars(c.FirstName) > 100 || chars(c.LastName) > 100:
		fe.Add("first_name", "Names are limited to 100 characters.")
	}
	if chars(c.Title) > 200 || chars(c.Source) > 100 {
		fe.Add("title", "Title and source are limited to 200 and 100 characters.")
	}
	if !slices.Contains(Lifecycles, c.Lifecycle) {
		fe.Add("lifecycle", "Choose one of: "+strings.Join(Lifecycles, ", ")+".")
	}
	if len(c.Emails) > 20 || len(c.Phones) > 20 || len(c.Tags) > 50 {
		fe.Add("emails", "A contact holds at most 20 emails, 20 phones and 50 tags.")
	}
	if c.CompanyID != 0 {
		co, err := LinkableCompany(tx, p, c.CompanyID, was)
		if crm.ErrorCode(err) == crm.NotFound {
			fe.Add("company_id", "No such company.")
		} else if err != nil {
			return err
		}
		c.CompanyName = co.Name
	}
	if ok, err := isMember(tx, ws, c.OwnerID); err != nil {
		return err
	} else if !ok {
		fe.Add("owner_id", "The owner must be a member of this workspace.")
	}
	return fe.Err()
}

func isMember(tx *store.Tx, ws, user crm.ID) (bool, error) {
	var n int
	err := tx.QueryRow(`SELECT count(*) FROM memberships WHERE workspace_id = ? AND user_id = ?`, ws, user).Scan(&n)
	return n > 0, err
}

// diffContact lists the fields that differ between a and b, for events.
func diffContact(a, b Contact) map[string]crm.Change {
	ch := map[string]crm.Change{}
	add := func(name string, x, y any) {
		xj, yj := jsonText(x), jsonText(y)
		if xj != yj {
			ch[name] = crm.Change{Before: emptyNil(x), After: emptyNil(y)}
		}
	}
	add("first_name", a.FirstName, b.FirstName)
	add("last_name", a.LastName, b.LastName)
	add("emails", a.Emails, b.Emails)
	add("phones", a.Phones, b.Phones)
	add("title", a.Title, b.Title)
	add("company_id", a.CompanyID, b.CompanyID)
	add("owner_id", a.OwnerID, b.OwnerID)
	add("lifecycle", a.Lifecycle, b.Lifecycle)
	add("source", a.Source, b.Source)
	diffAddress(ch, a.Address, b.Address)
	add("time_zone", a.TimeZone, b.TimeZone)
	add("links", a.Links, b.Links)
	add("tags", a.Tags, b.Tags)
	for k := range mergedKeys(a.Custom, b.Custom) {
		add("custom."+k, a.Custom[k], b.Custom[k])
	}
	return ch
}

func mergedKeys(a, b map[string]any) map[string]bool {
	m := map[string]bool{}
	for k := range a {
		m[k] = true
	}
	for k := range b {
		m[k] = true
	}
	return m
}

// emptyNil leaves zero values out of event payloads.
func emptyNil(v any) any {
	switch x := v.(type) {
	case string:
		if x == "" {
			return nil
		}
	case crm.ID:
		if x == 0 {
			return nil
		}
	case nil:
		return nil
	}
	if s := jsonText(v); s == "null" || s == "[]" || s == "{}" {
		return nil
	}
	return v
}

// jsonText encodes v for a JSON column; nil slices and maps become [] and {}.
func jsonText(v any) string {
	b, _ := json.Marshal(v)
	switch string(b) {
	case "null":
		switch v.(type) {
		case map[string]any:
			return "{}"
		case []string, []EmailAddr, []PhoneNum, []Link:
			return "[]"
		}
	}
	return string(b)
}

// ListContacts returns up to limit contacts, newest first, after id `after`
// (the UI's simple list; the API uses QueryContacts).
func ListContacts(tx *store.Tx, ws crm.ID, after crm.ID, limit int) ([]Contact, error) {
	q := `SELECT ` + contactCols + `, COALESCE(co.name, '') FROM contacts c
		LEFT JOIN companies co ON co.workspace_id = c.workspace_id AND co.id = c.company_id
		WHERE c.workspace_id = ? AND c.deleted_at IS NULL`
	args := []any{ws}
	if after != 0 {
		q += ` AND c.id < ?`
		args = append(args, after)
	}
	q += ` ORDER BY c.id DESC LIMIT ?`
	return scanContacts(tx, q, append(args, limit)...)
}

// Counts are the dashboard's totals.
type Counts struct{ Contacts, Companies, OpenDeals int }

// CountAll counts a workspace's live records. Exact counts are fine for the
// dashboard at small sizes; list pages never count.
func CountAll(tx *store.Tx, ws crm.ID) (Counts, error) {
	var c Counts
	err := tx.QueryRow(`SELECT
		(SELECT count(*) FROM contacts WHERE workspace_id = ? AND deleted_at IS NULL),
		(SELECT count(*) FROM companies WHERE workspace_id = ? AND deleted_at IS NULL),
		(SELECT count(*) FROM deals WHERE workspace_id = ? AND status = 'open' AND deleted_at IS NULL)`, ws, ws, ws).
		Scan(&c.Contacts, &c.Companies, &c.OpenDeals)
	return c, err
}

var errNoContact = crm.Errorf(crm.NotFound, "No such contact.")

func notFoundOr(err error, nf error) error {
	if errors.Is(err, store.ErrNoRows) {
		return nf
	}
	return err
}
