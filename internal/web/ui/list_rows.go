package ui

import (
	"github.com/tandemcrm/tandem/internal/crm"
	"github.com/tandemcrm/tandem/internal/records"
	"github.com/tandemcrm/tandem/internal/store"
	"github.com/tandemcrm/tandem/internal/views"
	"github.com/tandemcrm/tandem/internal/web/view"
)

// pageSize is the number of rows of a list page.
const pageSize = 50

// companyChoices is how many companies the contact form offers: the newest
// ones. A search-as-you-type picker replaces this once search exists.
const companyChoices = 200

func companyRow(c records.Company, isNew bool) view.CompanyRow {
	return view.CompanyRow{ID: c.ID.String(), Name: c.Name, Domain: c.Domain, Industry: c.Industry, Size: c.Size,
		Created: c.CreatedAt.Format("Jan 2, 2006"), New: isNew}
}

func contactRow(c records.Contact, isNew bool) view.ContactRow {
	row := view.ContactRow{ID: c.ID.String(), Name: c.Name(), Email: c.Email, Company: c.CompanyName,
		Lifecycle: c.Lifecycle, Created: c.CreatedAt.Format("Jan 2, 2006"), New: isNew}
	if c.CompanyID != 0 {
		row.CompanyID = c.CompanyID.String()
	}
	return row
}

func (h *Handlers) companyOptions(tx *store.Tx, ws crm.ID) ([]view.Option, error) {
	cs, err := records.ListCompanies(tx, ws, 0, companyChoices)
	if err != nil {
		return nil, err
	}
	out := make([]view.Option, 0, len(cs))
	for _, c := range cs {
		out = append(out, view.Option{Value: c.ID.String(), Label: c.Name})
	}
	return out, nil
}

// newRow renders a just-created record as a row of a list showing columns
// (the quick-add form sends the list's columns along).
func newRow(tx *store.Tx, ws crm.ID, object, columns string, rec any) (view.ListRow, error) {
	defs, err := records.ListFields(tx, ws, object, false)
	if err != nil {
		return view.ListRow{}, err
	}
	members, err := views.Members(tx, ws)
	if err != nil {
		return view.ListRow{}, err
	}
	cols := views.Pick(object, views.Columns(object, defs), views.ParseColumns(columns))
	var row view.ListRow
	switch c := rec.(type) {
	case records.Contact:
		row = contactCells(c, cols, memberNames(members))
	case records.Company:
		row = companyCells(c, cols, memberNames(members))
	}
	row.New = true
	return row, nil
}
