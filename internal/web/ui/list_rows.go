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

// companyName is the name of the company a refused form had chosen (its
// picker shows it again), "" when none, no longer there or hidden from p.
func companyName(tx *store.Tx, p crm.Principal, id string) string {
	co, err := crm.ParseID(id)
	if err != nil || co == 0 {
		return ""
	}
	c, err := records.ViewCompany(tx, p, co)
	if err != nil {
		return ""
	}
	return c.Name
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

// companyValue is a company picker's value for a company id: "" for none.
func companyValue(id crm.ID) string {
	if id == 0 {
		return ""
	}
	return id.String()
}
