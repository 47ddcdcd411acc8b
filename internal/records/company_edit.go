package records

import (
	"fmt"

	"github.com/tandemcrm/tandem/internal/crm"
	"github.com/tandemcrm/tandem/internal/search"
	"github.com/tandemcrm/tandem/internal/store"
)

// CompanyPatch changes some fields of a company; nil leaves a field as is.
type CompanyPatch struct {
	Name, Domain, Industry, Phone *string
	Domains                       *[]string // all domains, the primary first; Domain alone replaces the primary
	Size                          *int
	Address                       AddressPatch
	OwnerID, ParentID             *crm.ID
	Tags                          *[]string
	Custom                        map[string]any
}

// UpdateCompany applies a patch, checking ifVersion like UpdateContact.
func UpdateCompany(tx *store.Tx, p crm.Principal, id crm.ID, in CompanyPatch, ifVersion int64) (Company, error) {
	if err := canWrite(p); err != nil {
		return Company{}, err
	}
	old, err := ViewCompany(tx, p, id)
	if err != nil {
		return old, err
	}
	if ifVersion != 0 && ifVersion != old.Version {
		return old, crm.Errorf(crm.Conflict, "This company was changed by someone else (version %d, not %d). Reload and try again.", old.Version, ifVersion)
	}
	c := old
	c.Tags = append([]string(nil), old.Tags...)
	if c.Domains, err = domainsPatch(old.Domains, in.Domain, in.Domains); err != nil {
		return old, err
	}
	for _, f := range []struct {
		dst *string
		v   *string
	}{{&c.Name, in.Name}, {&c.Industry, in.Industry}, {&c.Phone, in.Phone}} {
		if f.v != nil {
			*f.dst = *f.v
		}
	}
	if in.Size != nil {
		c.Size = *in.Size
	}
	in.Address.apply(&c.Address)
	if in.OwnerID != nil {
		c.OwnerID = *in.OwnerID
	}
	if in.ParentID != nil {
		c.ParentID = *in.ParentID
	}
	if in.Tags != nil {
		c.Tags = *in.Tags
	}
	defs, err := ListFields(tx, p.WorkspaceID, "company", true)
	if err != nil {
		return c, err
	}
	custom, fe := MergeCustom(defs, old.Custom, in.Custom, false)
	c.Custom = custom
	if err := validateCompany(tx, p.WorkspaceID, &c, fe); err != nil {
		return c, err
	}
	ch := diffCompany(old, c)
	if len(ch) == 0 {
		return old, nil
	}
	c.Version, c.UpdatedAt, c.UpdatedBy = old.Version+1, tx.Now, p.UserID
	n, err := tx.Exec(`UPDATE companies SET name = ?, domain = ?, industry = ?, size = ?, phone = ?, street = ?, city = ?, state = ?,
		postal_code = ?, country = ?, owner_id = ?, parent_id = ?,
		tags = ?, custom = ?, updated_by = ?, updated_at = ?, version = ? WHERE workspace_id = ? AND id = ? AND version = ?`,
		c.Name, c.Domain, c.Industry, c.Size, c.Phone, c.Address.Street, c.Address.City, c.Address.State, c.Address.PostalCode,
		c.Address.Country, c.OwnerID, c.ParentID, jsonText(c.Tags), jsonText(c.Custom),
		p.UserID, store.Micros(tx.Now), c.Version, p.WorkspaceID, id, old.Version)
	if err != nil {
		return c, fmt.Errorf("records: update company: %w", err)
	}
	if n == 0 { // another writer committed between our read and this write
		return c, crm.Errorf(crm.Conflict, "This company was changed meanwhile. Reload and try again.")
	}
	if _, ok := ch["domains"]; ok {
		if err := saveDomains(tx, p.WorkspaceID, c); err != nil {
			return c, err
		}
	}
	if err := indexCompany(tx, p.WorkspaceID, c); err != nil {
		return c, err
	}
	return c, tx.Emit(crm.Event{WorkspaceID: p.WorkspaceID, Actor: p.Actor(), ObjectType: "company", ObjectID: id,
		Action: crm.Updated, Changes: ch})
}

// DeleteCompany moves a company to the trash. Its contacts stay, unlinked
// only in display (their company_id still names it for restoring).
func DeleteCompany(tx *store.Tx, p crm.Principal, id crm.ID) error {
	if err := canWrite(p); err != nil {
		return err
	}
	if _, err := ViewCompany(tx, p, id); err != nil {
		return err
	}
	n, err := tx.Exec(`UPDATE companies SET deleted_at = ?, updated_at = ?, version = version + 1
		WHERE workspace_id = ? AND id = ? AND deleted_at IS NULL`, store.Micros(tx.Now), store.Micros(tx.Now), p.WorkspaceID, id)
	if err != nil {
		return err
	}
	if n == 0 {
		return crm.Errorf(crm.NotFound, "No such company.")
	}
	if err := search.Remove(tx, p.WorkspaceID, "company", id); err != nil {
		return err
	}
	return tx.Emit(crm.Event{WorkspaceID: p.WorkspaceID, Actor: p.Actor(), ObjectType: "company", ObjectID: id, Action: crm.Deleted})
}

var companySorts = map[string]string{"id": "id", "name": "name", "domain": "domain", "industry": "industry", "size": "size",
	"city": "city", "country": "country", "created_at": "created_at", "updated_at": "updated_at", "owner": "owner_id"}

// QueryCompanies lists companies matching a filter, sorted, one page at a time.
func QueryCompanies(tx *store.Tx, p crm.Principal, q ListQuery) (Page[Company], error) {
	var page Page[Company]
	defs, err := ListFields(tx, p.WorkspaceID, "company", false)
	if err != nil {
		return page, err
	}
	keys, sortSpec, err := parseSort(q.Sort, companySorts, "-created_at")
	if err != nil {
		return page, err
	}
	cur, err := decodeCursor(q.Cursor, sortSpec, len(keys))
	if err != nil {
		return page, err
	}
	clause, args, err := where(tx, "co", p.WorkspaceID, CompanySchema("co", defs), q.Filter, p)
	if err != nil {
		return page, err
	}
	countClause, countArgs := clause, args
	order, after, afterArgs := keyset(keys, "co", cur)
	if after != "" {
		clause += " AND " + after
		args = append(args, afterArgs...)
	}
	limit := clampLimit(q.Limit)
	items, err := scanCompanies(tx, p.WorkspaceID, `SELECT `+companyCols+` FROM companies co WHERE `+clause+` ORDER BY `+order+` LIMIT ?`,
		append(args, limit+1)...)
	if err != nil {
		return page, err
	}
	if len(items) > limit {
		items = items[:limit]
		last := items[len(items)-1]
		vals := make([]any, len(keys))
		for i, k := range keys {
			vals[i] = companySortValue(last, k.name)
		}
		page.Next = encodeCursor(cursorState{Sort: sortSpec, Values: vals, ID: last.ID})
	}
	page.Items = items
	if cur == nil { // later pages do not recount
		page.Total, page.TotalExact, err = firstPageTotal(tx, CountKey("companies", p, q.Filter), "companies", "co", countClause, countArgs, len(items), page.Next != "")
	}
	return page, err
}

func companySortValue(c Company, name string) any {
	switch name {
	case "name":
		return c.Name
	case "city":
		return c.Address.City
	case "country":
		return c.Address.Country
	case "domain":
		return c.Domain
	case "industry":
		return c.Industry
	case "size":
		return int64(c.Size)
	case "created_at":
		return store.Micros(c.CreatedAt)
	case "updated_at":
		return store.Micros(c.UpdatedAt)
	case "owner":
		return int64(c.OwnerID)
	}
	return int64(c.ID)
}
