package importer

import (
	"strings"

	"github.com/tandemcrm/tandem/internal/crm"
	"github.com/tandemcrm/tandem/internal/records"
	"github.com/tandemcrm/tandem/internal/store"
)

// parents finds the parent company a company import's row names, by a
// domain (primary or other) or else by name, among the workspace's
// companies and the ones the file created before that row, as a contact
// import finds a contact's company (companyResolver: of companies sharing
// a name, the oldest). A parent named on a row before the row that creates
// it is looked for again at the end (settle): files list companies in any
// order.
type parents struct {
	idx     *companyResolver
	made    map[crm.ID]bool // the companies this import created
	waiting []parentRef
}

type parentRef struct {
	child crm.ID
	line  int
	value string
}

// loadParents reads the workspace's companies' names and domains.
func loadParents(tx *store.Tx, r *Run) (*parents, error) {
	idx, err := loadCompanies(tx, r)
	if err != nil {
		return nil, err
	}
	others, err := tx.Query(`SELECT cd.company_id, cd.domain FROM company_domains cd JOIN companies c
		ON c.workspace_id = cd.workspace_id AND c.id = cd.company_id WHERE cd.workspace_id = ? AND c.deleted_at IS NULL
		ORDER BY cd.company_id`, r.WorkspaceID)
	if err != nil {
		return nil, errf("load parent companies' domains: %w", err)
	}
	defer others.Close()
	for others.Next() {
		var id crm.ID
		var d string
		if err := others.Scan(&id, &d); err != nil {
			return nil, err
		}
		idx.remember(id, "", d)
	}
	return &parents{idx: idx, made: map[crm.ID]bool{}}, others.Err()
}

// add makes a company the file created findable by its name and domains.
func (p *parents) add(id crm.ID, name string, domains []string) {
	p.made[id] = true
	p.idx.remember(id, name, "")
	for _, d := range domains {
		p.idx.remember(id, "", d)
	}
}

// find returns the company v names, 0 when none.
func (p *parents) find(v string) crm.ID {
	if d := records.NormalizeDomain(v); strings.Contains(d, ".") && !strings.Contains(d, " ") {
		if id := p.idx.byDomain[d]; id != 0 {
			return id
		}
	}
	return p.idx.byName[strings.ToLower(strings.TrimSpace(v))]
}

// later keeps a row's parent to look for at the end.
func (p *parents) later(child crm.ID, line int, v string) {
	p.waiting = append(p.waiting, parentRef{child: child, line: line, value: v})
}

// settle looks again for the parents not found on their row, now that
// every row's company exists. A company this import created gets its
// parent (unless that would put it under its own subsidiary); a company
// that existed before keeps its parent, as its before-image for undo was
// taken already. What is left is a warning on its line.
func (p *parents) settle(tx *store.Tx, r *Run) error {
	for _, ref := range p.waiting {
		id := p.find(ref.value)
		msg := ""
		switch {
		case id == 0:
			msg = "no company has this domain or name; parent left empty"
		case id == ref.child:
			msg = "a company cannot be its own parent; parent left empty"
		case !p.made[ref.child]:
			msg = "the parent company is on a later line; import the file again to link it"
		case !r.DryRun:
			loop, err := records.IsUnder(tx, r.WorkspaceID, id, ref.child)
			if err != nil {
				return errf("parent: %w", err)
			}
			switch {
			case loop:
				msg = "the parent company belongs to this one already; parent left empty"
			default:
				if _, err := tx.Exec(`UPDATE companies SET parent_id = ? WHERE workspace_id = ? AND id = ?`, id, r.WorkspaceID, ref.child); err != nil {
					return errf("parent: %w", err)
				}
			}
		}
		if msg != "" {
			if err := r.issue(tx, ref.line, Warned, "parent", ref.value, msg); err != nil {
				return err
			}
		}
	}
	p.waiting = nil
	return nil
}
