package records

import (
	"github.com/tandemcrm/tandem/internal/account"
	"github.com/tandemcrm/tandem/internal/crm"
	"github.com/tandemcrm/tandem/internal/store"
)

// ViewContact returns a contact the principal may see; one they may not see
// is not found, exactly like another workspace's.
func ViewContact(tx *store.Tx, p crm.Principal, id crm.ID) (Contact, error) {
	c, err := GetContact(tx, p.WorkspaceID, id)
	if err != nil {
		return c, err
	}
	if ok, err := canSee(tx, p, c.OwnerID); err != nil || !ok {
		return Contact{}, orNotFound(err, errNoContact)
	}
	return c, nil
}

// ViewCompany is ViewContact for companies.
func ViewCompany(tx *store.Tx, p crm.Principal, id crm.ID) (Company, error) {
	c, err := GetCompany(tx, p.WorkspaceID, id)
	if err != nil {
		return c, err
	}
	if ok, err := canSee(tx, p, c.OwnerID); err != nil || !ok {
		return Company{}, orNotFound(err, crm.Errorf(crm.NotFound, "No such company."))
	}
	return c, nil
}

func canSee(tx *store.Tx, p crm.Principal, owner crm.ID) (bool, error) {
	clause, args, err := account.VisibilityClause(tx, p, "x.owner_id")
	if err != nil || clause == "" {
		return err == nil, err
	}
	var n int
	err = tx.QueryRow(`SELECT count(*) FROM (SELECT CAST(? AS BIGINT) AS owner_id) x WHERE `+clause, append([]any{owner}, args...)...).Scan(&n)
	return n > 0, err
}

func orNotFound(err, nf error) error {
	if err != nil {
		return err
	}
	return nf
}
