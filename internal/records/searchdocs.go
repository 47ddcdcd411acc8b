package records

import (
	"strings"

	"github.com/tandemcrm/tandem/internal/crm"
	"github.com/tandemcrm/tandem/internal/search"
	"github.com/tandemcrm/tandem/internal/store"
)

// indexContact keeps a contact's search document in step, in the same
// transaction as the change.
func indexContact(tx *store.Tx, ws crm.ID, c Contact) error {
	var body []string
	for _, e := range c.Emails {
		body = append(body, e.Email)
	}
	for _, p := range c.Phones {
		body = append(body, Digits(p.Phone))
	}
	body = append(body, c.Title, c.CompanyName)
	return search.Index(tx, ws, "contact", c.ID, strings.TrimSpace(c.FirstName+" "+c.LastName), strings.Join(body, " "))
}

func indexCompany(tx *store.Tx, ws crm.ID, c Company) error {
	return search.Index(tx, ws, "company", c.ID, c.Name, strings.Join([]string{c.Domain, c.Industry, Digits(c.Phone)}, " "))
}

// Result is a search hit the principal may see.
type Result struct {
	Type, Title, Subtitle string
	ID                    crm.ID
}

// Search finds the principal's visible contacts and companies for q.
func Search(tx *store.Tx, p crm.Principal, q string, limit int) ([]Result, error) {
	if len(q) > 200 {
		return nil, (crm.FieldErrors{"q": "Search for at most 200 characters."}).Err()
	}
	hits, err := search.Search(tx, p.WorkspaceID, q, limit*2)
	if err != nil {
		return nil, err
	}
	out := []Result{}
	for _, h := range hits {
		if len(out) == limit {
			break
		}
		// Visibility is the records' rule, applied to each candidate.
		var sub string
		switch h.ObjectType {
		case "contact":
			c, err := ViewContact(tx, p, h.ObjectID)
			if crm.ErrorCode(err) == crm.NotFound {
				continue
			} else if err != nil {
				return nil, err
			}
			sub = strings.TrimSpace(strings.Join([]string{c.Email, c.CompanyName}, " · "))
		case "company":
			c, err := ViewCompany(tx, p, h.ObjectID)
			if crm.ErrorCode(err) == crm.NotFound {
				continue
			} else if err != nil {
				return nil, err
			}
			sub = c.Domain
		}
		out = append(out, Result{Type: h.ObjectType, ID: h.ObjectID, Title: h.Title, Subtitle: strings.Trim(sub, " ·")})
	}
	return out, nil
}
