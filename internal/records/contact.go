package records

import (
	"fmt"
	"net/mail"
	"strings"
	"time"

	"github.com/tandemcrm/tandem/internal/crm"
	"github.com/tandemcrm/tandem/internal/store"
)

// Contact is a person.
type Contact struct {
	ID          crm.ID
	FirstName   string
	LastName    string
	Email       string
	CompanyID   crm.ID
	CompanyName string // filled by lists
	Lifecycle   string
	OwnerID     crm.ID
	CreatedAt   time.Time
}

// Name is the display name.
func (c Contact) Name() string {
	n := strings.TrimSpace(c.FirstName + " " + c.LastName)
	if n == "" {
		return c.Email
	}
	return n
}

// NewContact is what creating a contact takes.
type NewContact struct {
	FirstName, LastName, Email string
	CompanyID                  crm.ID
}

// CreateContact validates and stores a contact owned by the principal.
func CreateContact(tx *store.Tx, p crm.Principal, in NewContact) (Contact, error) {
	if err := canWrite(p); err != nil {
		return Contact{}, err
	}
	c := Contact{FirstName: strings.TrimSpace(in.FirstName), LastName: strings.TrimSpace(in.LastName),
		Email: strings.ToLower(strings.TrimSpace(in.Email)), CompanyID: in.CompanyID, Lifecycle: "lead",
		OwnerID: p.UserID, CreatedAt: tx.Now}
	fe := crm.FieldErrors{}
	if c.FirstName == "" && c.LastName == "" && c.Email == "" {
		fe.Add("first_name", "Enter a name or an email address.")
	}
	if len(c.FirstName) > 100 || len(c.LastName) > 100 {
		fe.Add("first_name", "Names are limited to 100 characters.")
	}
	if c.Email != "" {
		if a, err := mail.ParseAddress(c.Email); err != nil || a.Address != c.Email {
			fe.Add("email", "Enter a valid email address, like name@example.com.")
		}
	}
	if err := fe.Err(); err != nil {
		return c, err
	}
	if c.CompanyID != 0 {
		co, err := GetCompany(tx, p.WorkspaceID, c.CompanyID)
		if err != nil {
			return c, (crm.FieldErrors{"company_id": "No such company."}).Err()
		}
		c.CompanyName = co.Name
	}
	c.ID = tx.NewID()
	now := store.Micros(tx.Now)
	_, err := tx.Exec(`INSERT INTO contacts (id, workspace_id, first_name, last_name, email, company_id, owner_id, lifecycle,
		created_by, updated_by, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		c.ID, p.WorkspaceID, c.FirstName, c.LastName, c.Email, c.CompanyID, p.UserID, c.Lifecycle, p.UserID, p.UserID, now, now)
	if err != nil {
		return c, fmt.Errorf("records: create contact: %w", err)
	}
	return c, tx.Emit(crm.Event{WorkspaceID: p.WorkspaceID, Actor: p.Actor(), ObjectType: "contact", ObjectID: c.ID,
		Action: crm.Created, Changes: changes("first_name", c.FirstName, "last_name", c.LastName, "email", c.Email)})
}

// ListContacts returns up to limit contacts, newest first, after id `after`.
func ListContacts(tx *store.Tx, ws crm.ID, after crm.ID, limit int) ([]Contact, error) {
	q := `SELECT c.id, c.first_name, c.last_name, c.email, c.company_id, COALESCE(co.name, ''), c.lifecycle, c.owner_id, c.created_at
		FROM contacts c LEFT JOIN companies co ON co.workspace_id = c.workspace_id AND co.id = c.company_id
		WHERE c.workspace_id = ? AND c.deleted_at IS NULL`
	args := []any{ws}
	if after != 0 {
		q += ` AND c.id < ?`
		args = append(args, after)
	}
	q += ` ORDER BY c.id DESC LIMIT ?`
	rows, err := tx.Query(q, append(args, limit)...)
	if err != nil {
		return nil, fmt.Errorf("records: list contacts: %w", err)
	}
	defer rows.Close()
	var out []Contact
	for rows.Next() {
		var c Contact
		var created int64
		if err := rows.Scan(&c.ID, &c.FirstName, &c.LastName, &c.Email, &c.CompanyID, &c.CompanyName, &c.Lifecycle, &c.OwnerID, &created); err != nil {
			return nil, err
		}
		c.CreatedAt = store.FromMicros(created)
		out = append(out, c)
	}
	return out, rows.Err()
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
