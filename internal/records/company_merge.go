package records

import (
	"fmt"
	"slices"

	"github.com/tandemcrm/tandem/internal/crm"
	"github.com/tandemcrm/tandem/internal/search"
	"github.com/tandemcrm/tandem/internal/store"
)

// CompanyMergeFields are the fields a person picks between two companies;
// true takes the other company's value; the address is taken whole.
// Domains and tags are united.
var CompanyMergeFields = []string{"name", "industry", "size", "phone", "address", "owner_id", "parent_id"}

// MergeCompanies folds company `from` into `into`, as MergeContacts does
// for people: the chosen fields (and custom values named "custom.<key>")
// come from `from`, its domains follow the survivor's and tags are united,
// and everything that points at `from` points at `into` afterwards — its
// people (current and past), deals, activities, notes, files and child
// companies. `from` goes to the trash; both timelines record the merge.
// Both companies must be ones the member may see and change.
func MergeCompanies(tx *store.Tx, p crm.Principal, into, from crm.ID, takeFrom map[string]bool) (Company, error) {
	if into == from {
		return Company{}, (crm.FieldErrors{"from": "Choose another company to merge."}).Err()
	}
	a, err := ViewCompany(tx, p, into)
	if err != nil {
		return a, err
	}
	b, err := ViewCompany(tx, p, from)
	if err != nil {
		return a, (crm.FieldErrors{"from": "No such company."}).Err()
	}
	if err := canWrite(p); err != nil {
		return a, err
	}
	defs, err := ListFields(tx, p.WorkspaceID, "company", false)
	if err != nil {
		return a, err
	}
	if err := checkTake(takeFrom, CompanyMergeFields, defs); err != nil {
		return a, err
	}
	a.Custom, b.Custom = PresentCustom(defs, a.Custom), PresentCustom(defs, b.Custom)
	merged, err := UpdateCompany(tx, p, into, companyMergePatch(a, b, takeFrom), 0)
	if err != nil {
		return merged, err
	}
	// The survivor's parents, before the other company's children move:
	// one of those children may be among them (the survivor sat under it).
	up, err := ancestors(tx, p.WorkspaceID, into)
	if err != nil {
		return merged, err
	}
	for _, q := range []string{
		`UPDATE contacts SET company_id = ? WHERE workspace_id = ? AND company_id = ?`,
		`UPDATE contact_companies SET company_id = ? WHERE workspace_id = ? AND company_id = ?`,
		`UPDATE deals SET company_id = ? WHERE workspace_id = ? AND company_id = ?`,
		`UPDATE activities SET company_id = ? WHERE workspace_id = ? AND company_id = ?`,
		`UPDATE companies SET parent_id = ? WHERE workspace_id = ? AND parent_id = ?`,
		`UPDATE notes SET object_id = ? WHERE workspace_id = ? AND object_type = 'company' AND object_id = ?`,
		`UPDATE files SET object_id = ? WHERE workspace_id = ? AND object_type = 'company' AND object_id = ?`,
	} {
		if _, err := tx.Exec(q, into, p.WorkspaceID, from); err != nil {
			return merged, fmt.Errorf("records: merge companies: %w", err)
		}
	}
	// A child of the other company that was the survivor's parent would
	// now be its own grandparent.
	if _, err := tx.Exec(`UPDATE companies SET parent_id = 0 WHERE workspace_id = ? AND id = ? AND parent_id = ?`,
		p.WorkspaceID, into, into); err != nil {
		return merged, err
	}
	// A child of the other company the survivor sat under (further up)
	// would now be under the survivor and above it: it moves up to the
	// other company's parent instead.
	for id := range up {
		if _, err := tx.Exec(`UPDATE companies SET parent_id = ? WHERE workspace_id = ? AND id = ? AND parent_id = ?`,
			b.ParentID, p.WorkspaceID, id, into); err != nil {
			return merged, err
		}
	}
	if _, err := tx.Exec(`UPDATE companies SET deleted_at = ?, updated_at = ?, version = version + 1 WHERE workspace_id = ? AND id = ?`,
		store.Micros(tx.Now), store.Micros(tx.Now), p.WorkspaceID, from); err != nil {
		return merged, err
	}
	if err := search.Remove(tx, p.WorkspaceID, "company", from); err != nil {
		return merged, err
	}
	if err := tx.Emit(crm.Event{WorkspaceID: p.WorkspaceID, Actor: p.Actor(), ObjectType: "company", ObjectID: from, Action: crm.Deleted,
		Changes: map[string]crm.Change{"merged_into": {After: into.String()}}}); err != nil {
		return merged, err
	}
	err = tx.Emit(crm.Event{WorkspaceID: p.WorkspaceID, Actor: p.Actor(), ObjectType: "company", ObjectID: into, Action: crm.Updated,
		Changes: map[string]crm.Change{"merged": {After: fmt.Sprintf("%s (%s)", b.Name, from)}}})
	return merged, err
}

func companyMergePatch(a, b Company, take map[string]bool) CompanyPatch {
	pick := func(field, av, bv string) *string {
		if take[field] || av == "" {
			return &bv
		}
		return &av
	}
	patch := CompanyPatch{Name: pick("name", a.Name, b.Name), Industry: pick("industry", a.Industry, b.Industry),
		Phone: pick("phone", a.Phone, b.Phone), Custom: map[string]any{}}
	size := a.Size
	if take["size"] || size == 0 {
		size = b.Size
	}
	patch.Size = &size
	if take["address"] || a.Address.IsZero() {
		patch.Address = b.Address.patch()
	}
	if take["owner_id"] {
		patch.OwnerID = &b.OwnerID
	}
	parent := a.ParentID
	if take["parent_id"] || parent == 0 {
		parent = b.ParentID
	}
	if parent == b.ID { // the survivor's parent was the other company
		parent = b.ParentID
	}
	if parent == a.ID {
		parent = 0
	}
	patch.ParentID = &parent
	// The survivor's domains stay first (its primary stays primary); the
	// other's follow.
	domains := append([]string(nil), a.Domains...)
	for _, d := range b.Domains {
		if !slices.Contains(domains, d) {
			domains = append(domains, d)
		}
	}
	tags := cleanOptions(append(append([]string(nil), a.Tags...), b.Tags...))
	patch.Domains, patch.Tags = &domains, &tags
	for k, v := range b.Custom {
		if _, has := a.Custom[k]; take["custom."+k] || !has {
			patch.Custom[k] = v
		}
	}
	return patch
}
