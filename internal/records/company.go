package records

import (
	"errors"
	"fmt"
	"regexp"
	"strings"
	"time"

	"github.com/tandemcrm/tandem/internal/crm"
	"github.com/tandemcrm/tandem/internal/store"
)

// Company is an organisation the team sells to.
type Company struct {
	ID        crm.ID
	Name      string
	Domain    string
	Industry  string
	Size      int
	OwnerID   crm.ID
	CreatedAt time.Time
	UpdatedAt time.Time
}

// NewCompany is what creating a company takes.
type NewCompany struct {
	Name     string
	Domain   string
	Industry string
}

var domainRE = regexp.MustCompile(`^([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$`)

// NormalizeDomain lower-cases a domain and strips a scheme, "www." and a path,
// so "https://www.Acme.com/about" and "acme.com" are the same company.
func NormalizeDomain(s string) string {
	s = strings.ToLower(strings.TrimSpace(s))
	s = strings.TrimPrefix(strings.TrimPrefix(s, "https://"), "http://")
	s, _, _ = strings.Cut(s, "/")
	return strings.TrimPrefix(s, "www.")
}

// CreateCompany validates and stores a company owned by the principal.
func CreateCompany(tx *store.Tx, p crm.Principal, in NewCompany) (Company, error) {
	if err := canWrite(p); err != nil {
		return Company{}, err
	}
	c := Company{Name: strings.TrimSpace(in.Name), Domain: NormalizeDomain(in.Domain),
		Industry: strings.TrimSpace(in.Industry), OwnerID: p.UserID, CreatedAt: tx.Now, UpdatedAt: tx.Now}
	fe := crm.FieldErrors{}
	if c.Name == "" || len(c.Name) > 200 {
		fe.Add("name", "Enter the company's name (up to 200 characters).")
	}
	if c.Domain != "" && !domainRE.MatchString(c.Domain) {
		fe.Add("domain", "Enter a domain like example.com.")
	}
	if len(c.Industry) > 100 {
		fe.Add("industry", "Use at most 100 characters.")
	}
	if err := fe.Err(); err != nil {
		return c, err
	}
	c.ID = tx.NewID()
	now := store.Micros(tx.Now)
	_, err := tx.Exec(`INSERT INTO companies (id, workspace_id, name, domain, industry, owner_id, created_by, updated_by, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, c.ID, p.WorkspaceID, c.Name, c.Domain, c.Industry, p.UserID, p.UserID, p.UserID, now, now)
	if err != nil {
		return c, fmt.Errorf("records: create company: %w", err)
	}
	return c, tx.Emit(crm.Event{WorkspaceID: p.WorkspaceID, Actor: p.Actor(), ObjectType: "company", ObjectID: c.ID,
		Action: crm.Created, Changes: changes("name", c.Name, "domain", c.Domain, "industry", c.Industry)})
}

// ListCompanies returns up to limit companies, newest first, starting after
// the id `after` (keyset pagination: no OFFSET, no COUNT).
func ListCompanies(tx *store.Tx, ws crm.ID, after crm.ID, limit int) ([]Company, error) {
	q := `SELECT id, name, domain, industry, size, owner_id, created_at, updated_at FROM companies
		WHERE workspace_id = ? AND deleted_at IS NULL`
	args := []any{ws}
	if after != 0 {
		q += ` AND id < ?`
		args = append(args, after)
	}
	q += ` ORDER BY id DESC LIMIT ?`
	rows, err := tx.Query(q, append(args, limit)...)
	if err != nil {
		return nil, fmt.Errorf("records: list companies: %w", err)
	}
	defer rows.Close()
	var out []Company
	for rows.Next() {
		var c Company
		var created, updated int64
		if err := rows.Scan(&c.ID, &c.Name, &c.Domain, &c.Industry, &c.Size, &c.OwnerID, &created, &updated); err != nil {
			return nil, err
		}
		c.CreatedAt, c.UpdatedAt = store.FromMicros(created), store.FromMicros(updated)
		out = append(out, c)
	}
	return out, rows.Err()
}

// GetCompany returns one company of the workspace, or not found.
func GetCompany(tx *store.Tx, ws, id crm.ID) (Company, error) {
	c := Company{ID: id}
	var created, updated int64
	err := tx.QueryRow(`SELECT name, domain, industry, size, owner_id, created_at, updated_at FROM companies
		WHERE workspace_id = ? AND id = ? AND deleted_at IS NULL`, ws, id).
		Scan(&c.Name, &c.Domain, &c.Industry, &c.Size, &c.OwnerID, &created, &updated)
	if errors.Is(err, store.ErrNoRows) {
		return c, crm.Errorf(crm.NotFound, "No such company.")
	}
	c.CreatedAt, c.UpdatedAt = store.FromMicros(created), store.FromMicros(updated)
	return c, err
}

func canWrite(p crm.Principal) error {
	if p.WorkspaceID == 0 {
		return crm.Errorf(crm.Unauthorized, "Please sign in.")
	}
	if p.Role == crm.RoleReadOnly {
		return crm.Errorf(crm.Forbidden, "Your role is read-only; ask an admin for write access.")
	}
	return nil
}

// changes builds an event's created-field list from name/value pairs,
// leaving out empty values.
func changes(kv ...string) map[string]crm.Change {
	m := map[string]crm.Change{}
	for i := 0; i+1 < len(kv); i += 2 {
		if kv[i+1] != "" {
			m[kv[i]] = crm.Change{After: kv[i+1]}
		}
	}
	return m
}
