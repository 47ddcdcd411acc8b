package importer

import (
	"strings"

	"github.com/tandemcrm/tandem/internal/crm"
	"github.com/tandemcrm/tandem/internal/store"
)

// companyResolver links rows to companies by domain, then by name
// (case-insensitive), creating a company the first time a name or domain
// is new. One in-memory map per import: no query per row.
type companyResolver struct {
	run      *Run
	byDomain map[string]crm.ID
	byName   map[string]crm.ID
	pending  []newCompany
	created  int
}

type newCompany struct {
	id           crm.ID
	name, domain string
}

func loadCompanies(tx *store.Tx, r *Run) (*companyResolver, error) {
	cr := &companyResolver{run: r, byDomain: map[string]crm.ID{}, byName: map[string]crm.ID{}}
	rows, err := tx.Query(`SELECT id, name, domain FROM companies WHERE workspace_id = ? AND deleted_at IS NULL ORDER BY id`, r.WorkspaceID)
	if err != nil {
		return nil, errf("load companies: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var id crm.ID
		var name, domain string
		if err := rows.Scan(&id, &name, &domain); err != nil {
			return nil, err
		}
		cr.remember(id, name, domain)
	}
	return cr, rows.Err()
}

func (cr *companyResolver) remember(id crm.ID, name, domain string) {
	if d := strings.ToLower(domain); d != "" {
		if _, dup := cr.byDomain[d]; !dup {
			cr.byDomain[d] = id
		}
	}
	if n := strings.ToLower(strings.TrimSpace(name)); n != "" {
		if _, dup := cr.byName[n]; !dup {
			cr.byName[n] = id
		}
	}
}

// resolve returns the company a row names, creating it (in the next flush)
// when neither its domain nor its name is known.
func (cr *companyResolver) resolve(ref companyRef) (crm.ID, *Outcome) {
	if ref.domain != "" {
		if id, ok := cr.byDomain[ref.domain]; ok {
			return id, nil
		}
	}
	if ref.name != "" {
		if id, ok := cr.byName[strings.ToLower(strings.TrimSpace(ref.name))]; ok {
			return id, nil
		}
	}
	name := strings.TrimSpace(ref.name)
	if name == "" {
		name = ref.domain
	}
	if len(name) > 200 {
		return 0, &Outcome{Action: Warned, Field: "company", Value: name, Message: "company names are limited to 200 characters; not linked"}
	}
	id := cr.run.NewID()
	cr.remember(id, name, ref.domain)
	cr.pending = append(cr.pending, newCompany{id: id, name: name, domain: ref.domain})
	cr.created++
	return id, nil
}

// detach returns a resolver holding the companies to create that cr held;
// cr keeps what it knows of names and domains (contactBatch.Detach).
func (cr *companyResolver) detach() *companyResolver {
	w := &companyResolver{run: cr.run, pending: cr.pending}
	cr.pending = nil
	return w
}

var companyInsertCols = []string{"id", "workspace_id", "name", "domain", "owner_id", "import_id", "created_by", "updated_by",
	"created_at", "updated_at", "version"}

func (cr *companyResolver) flush(tx *store.Tx) error {
	r := cr.run
	rows := make([][]any, 0, len(cr.pending))
	now := store.Micros(r.Now)
	for _, c := range cr.pending {
		rows = append(rows, []any{c.id, r.WorkspaceID, c.name, c.domain, r.Principal.UserID, r.ID, r.Principal.UserID,
			r.Principal.UserID, now, now, 1})
	}
	cr.pending = cr.pending[:0]
	return insertRows(tx, "companies", companyInsertCols, rows)
}
