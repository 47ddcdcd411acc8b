package records

import (
	"encoding/json"
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
	Domain    string   // the primary domain, Domains[0]
	Domains   []string // all of them, the primary first
	Industry  string
	Size      int
	Phone     string
	Address   Address
	OwnerID   crm.ID
	ParentID  crm.ID
	Tags      []string
	Custom    map[string]any
	CreatedBy crm.ID // the member who created it (0 when unknown)
	UpdatedBy crm.ID
	CreatedAt time.Time
	UpdatedAt time.Time
	Version   int64
}

// NewCompany is what creating a company takes.
type NewCompany struct {
	Name, Domain, Industry, Phone string
	Domains                       []string // all domains, the primary first; Domain is a shortcut for one
	Size                          int
	Address                       Address
	OwnerID, ParentID             crm.ID // 0 owner: the creator
	Tags                          []string
	Custom                        map[string]any
}

var domainRE = regexp.MustCompile(`^([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$`)

// CreateCompany validates and stores a company.
func CreateCompany(tx *store.Tx, p crm.Principal, in NewCompany) (Company, error) {
	if err := canWrite(p); err != nil {
		return Company{}, err
	}
	c := Company{Name: in.Name, Industry: in.Industry, Phone: in.Phone, Size: in.Size, Address: in.Address,
		OwnerID: in.OwnerID, ParentID: in.ParentID, Tags: in.Tags, CreatedBy: p.UserID, UpdatedBy: p.UserID, CreatedAt: tx.Now, UpdatedAt: tx.Now, Version: 1}
	var domain *string
	var domains *[]string
	if in.Domain != "" {
		domain = &in.Domain
	}
	if in.Domains != nil {
		domains = &in.Domains
	}
	var err error
	if c.Domains, err = domainsPatch(nil, domain, domains); err != nil {
		return c, err
	}
	if c.OwnerID == 0 {
		c.OwnerID = p.UserID
	}
	defs, err := ListFields(tx, p.WorkspaceID, "company", true)
	if err != nil {
		return c, err
	}
	custom, fe := MergeCustom(defs, nil, in.Custom, true)
	c.Custom = custom
	if err := validateCompany(tx, p.WorkspaceID, &c, fe); err != nil {
		return c, err
	}
	c.ID = tx.NewID()
	now := store.Micros(tx.Now)
	_, err = tx.Exec(`INSERT INTO companies (id, workspace_id, name, domain, industry, size, phone, street, city, state, postal_code, country,
		owner_id, parent_id, tags, custom, created_by, updated_by, created_at, updated_at, version)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		c.ID, p.WorkspaceID, c.Name, c.Domain, c.Industry, c.Size, c.Phone, c.Address.Street, c.Address.City, c.Address.State,
		c.Address.PostalCode, c.Address.Country, c.OwnerID, c.ParentID, jsonText(c.Tags),
		jsonText(c.Custom), p.UserID, p.UserID, now, now, c.Version)
	if err != nil {
		return c, fmt.Errorf("records: create company: %w", err)
	}
	if err := saveDomains(tx, p.WorkspaceID, c); err != nil {
		return c, err
	}
	if err := indexCompany(tx, p.WorkspaceID, c); err != nil {
		return c, err
	}
	return c, tx.Emit(crm.Event{WorkspaceID: p.WorkspaceID, Actor: p.Actor(), ObjectType: "company", ObjectID: c.ID,
		Action: crm.Created, Changes: diffCompany(Company{}, c)})
}

func validateCompany(tx *store.Tx, ws crm.ID, c *Company, fe crm.FieldErrors) error {
	c.Name = strings.TrimSpace(c.Name)
	validateDomains(c, fe)
	c.Industry, c.Phone = strings.TrimSpace(c.Industry), strings.TrimSpace(c.Phone)
	c.Tags = cleanOptions(c.Tags)
	c.Address.normalize(fe)
	if c.Name == "" || chars(c.Name) > 200 {
		fe.Add("name", "Enter the company's name (up to 200 characters).")
	}
	if chars(c.Industry) > 100 {
		fe.Add("industry", "Use at most 100 characters.")
	}
	if c.Size < 0 || c.Size > 10_000_000 {
		fe.Add("size", "Give the number of employees (0 for unknown).")
	}
	if c.Phone != "" {
		if n := len(crm.Digits(c.Phone)); n < 5 || n > 20 {
			fe.Add("phone", "Enter a phone number with 5 to 20 digits.")
		}
	}
	if len(c.Tags) > 50 {
		fe.Add("tags", "A company holds at most 50 tags.")
	}
	if c.ParentID != 0 {
		if c.ParentID == c.ID {
			fe.Add("parent_id", "A company cannot be its own parent.")
		} else if parent, err := GetCompany(tx, ws, c.ParentID); crm.ErrorCode(err) == crm.NotFound {
			fe.Add("parent_id", "No such company.")
		} else if err != nil {
			return err
		} else if c.ID != 0 {
			loop, err := IsUnder(tx, ws, c.ParentID, c.ID)
			if err != nil {
				return err
			}
			if loop {
				fe.Add("parent_id", parent.Name+" belongs to "+c.Name+" already: a company cannot be under its own subsidiary.")
			}
		}
	}
	if ok, err := isMember(tx, ws, c.OwnerID); err != nil {
		return err
	} else if !ok {
		fe.Add("owner_id", "The owner must be a member of this workspace.")
	}
	return fe.Err()
}

// IsUnder says whether company id has ancestor among its parents, however
// far up (a hundred levels at most: deeper trees are not made by people).
func IsUnder(tx *store.Tx, ws, id, ancestor crm.ID) (bool, error) {
	up, err := ancestors(tx, ws, id)
	return up[ancestor], err
}

// ancestors are the companies id is under, however far up (a hundred
// levels at most).
func ancestors(tx *store.Tx, ws, id crm.ID) (map[crm.ID]bool, error) {
	rows, err := tx.Query(`WITH RECURSIVE up(id, depth) AS (
			SELECT parent_id, 1 FROM companies WHERE workspace_id = ? AND id = ?
			UNION ALL
			SELECT co.parent_id, up.depth + 1 FROM companies co JOIN up ON co.id = up.id
			WHERE co.workspace_id = ? AND up.id <> 0 AND up.depth < 100)
		SELECT id FROM up WHERE id <> 0`, ws, id, ws)
	if err != nil {
		return nil, fmt.Errorf("records: parents: %w", err)
	}
	defer rows.Close()
	out := map[crm.ID]bool{}
	for rows.Next() {
		var a crm.ID
		if err := rows.Scan(&a); err != nil {
			return nil, err
		}
		out[a] = true
	}
	return out, rows.Err()
}

func diffCompany(a, b Company) map[string]crm.Change {
	ch := map[string]crm.Change{}
	add := func(name string, x, y any) {
		if jsonText(x) != jsonText(y) {
			ch[name] = crm.Change{Before: emptyNil(x), After: emptyNil(y)}
		}
	}
	add("name", a.Name, b.Name)
	add("domain", a.Domain, b.Domain)
	if jsonText(otherDomains(a.Domains)) != jsonText(otherDomains(b.Domains)) {
		ch["domains"] = crm.Change{Before: emptyNil(a.Domains), After: emptyNil(b.Domains)}
	}
	add("industry", a.Industry, b.Industry)
	add("size", a.Size, b.Size)
	add("phone", a.Phone, b.Phone)
	diffAddress(ch, a.Address, b.Address)
	add("owner_id", a.OwnerID, b.OwnerID)
	add("parent_id", a.ParentID, b.ParentID)
	add("tags", a.Tags, b.Tags)
	for k := range mergedKeys(a.Custom, b.Custom) {
		add("custom."+k, a.Custom[k], b.Custom[k])
	}
	if b.Size == 0 && a.Size == 0 {
		delete(ch, "size")
	}
	return ch
}

const companyCols = `co.id, co.name, co.domain, co.industry, co.size, co.phone, co.street, co.city, co.state, co.postal_code,
	co.country, co.owner_id, co.parent_id, co.tags, co.custom, co.created_by, co.updated_by, co.created_at, co.updated_at, co.version`

// scanCompanies runs a query over companyCols in workspace ws and fills
// each company's domains.
func scanCompanies(tx *store.Tx, ws crm.ID, q string, args ...any) ([]Company, error) {
	out, err := scanCompanyRows(tx, q, args...)
	if err != nil {
		return nil, err
	}
	return out, fillDomains(tx, ws, out)
}

func scanCompanyRows(tx *store.Tx, q string, args ...any) ([]Company, error) {
	rows, err := tx.Query(q, args...)
	if err != nil {
		return nil, fmt.Errorf("records: companies: %w", err)
	}
	defer rows.Close()
	var out []Company
	for rows.Next() {
		var c Company
		var tags, custom string
		var created, updated int64
		a := &c.Address
		if err := rows.Scan(&c.ID, &c.Name, &c.Domain, &c.Industry, &c.Size, &c.Phone, &a.Street, &a.City, &a.State, &a.PostalCode,
			&a.Country, &c.OwnerID, &c.ParentID, &tags, &custom, &c.CreatedBy, &c.UpdatedBy,
			&created, &updated, &c.Version); err != nil {
			return nil, err
		}
		c.CreatedAt, c.UpdatedAt = store.FromMicros(created), store.FromMicros(updated)
		if err := json.Unmarshal([]byte(tags), &c.Tags); err != nil {
			return nil, err
		}
		if err := json.Unmarshal([]byte(custom), &c.Custom); err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

// ListCompanies returns up to limit companies, newest first, after id `after`
// (the UI's simple list; the API uses QueryCompanies).
func ListCompanies(tx *store.Tx, ws crm.ID, after crm.ID, limit int) ([]Company, error) {
	q := `SELECT ` + companyCols + ` FROM companies co WHERE co.workspace_id = ? AND co.deleted_at IS NULL`
	args := []any{ws}
	if after != 0 {
		q += ` AND co.id < ?`
		args = append(args, after)
	}
	return scanCompanies(tx, ws, q+` ORDER BY co.id DESC LIMIT ?`, append(args, limit)...)
}

// GetCompany returns one company of the workspace, or not found.
func GetCompany(tx *store.Tx, ws, id crm.ID) (Company, error) {
	cs, err := scanCompanies(tx, ws, `SELECT `+companyCols+` FROM companies co
		WHERE co.workspace_id = ? AND co.id = ? AND co.deleted_at IS NULL`, ws, id)
	if err != nil {
		return Company{}, err
	}
	if len(cs) == 0 {
		return Company{}, crm.Errorf(crm.NotFound, "No such company.")
	}
	return cs[0], nil
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
