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
	if ok, err := account.CanView(tx, p, c.OwnerID); err != nil || !ok {
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
	if ok, err := account.CanView(tx, p, c.OwnerID); err != nil || !ok {
		return Company{}, orNotFound(err, crm.Errorf(crm.NotFound, "No such company."))
	}
	return c, nil
}

// LinkableCompany is a company p may link a record to: the one it is
// linked to already (was; someone who sees it may have made the link), or
// one p may see. A member cannot learn a hidden company's name by linking
// to its id.
func LinkableCompany(tx *store.Tx, p crm.Principal, id, was crm.ID) (Company, error) {
	if id == was {
		return GetCompany(tx, p.WorkspaceID, id)
	}
	return ViewCompany(tx, p, id)
}

func orNotFound(err, nf error) error {
	if err != nil {
		return err
	}
	return nf
}
