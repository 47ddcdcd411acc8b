package ui

import (
	"net/http"

	"github.com/tandemcrm/tandem/internal/crm"
	"github.com/tandemcrm/tandem/internal/records"
	"github.com/tandemcrm/tandem/internal/store"
	"github.com/tandemcrm/tandem/internal/web/respond"
	"github.com/tandemcrm/tandem/internal/web/view"
)

// CompanyCreate adds a company. A plain form post redirects to the list; an
// htmx post gets a fresh form plus the new row swapped into the table.
func (h *Handlers) CompanyCreate(w http.ResponseWriter, r *http.Request) {
	in := records.NewCompany{Name: form(r, "name"), Domain: form(r, "domain"), Industry: form(r, "industry")}
	var c records.Company
	err := h.write(r.Context(), func(tx *store.Tx) (err error) {
		c, err = records.CreateCompany(tx, principal(r), in)
		return err
	})
	if crm.ErrorCode(err) == crm.Invalid {
		f := view.CompanyForm{Name: in.Name, Domain: in.Domain, Industry: in.Industry, Columns: form(r, "columns"), Errors: crm.ErrorFields(err)}
		if respond.IsHTMX(r) {
			h.render(w, r, http.StatusUnprocessableEntity, view.CompanyFormFragment(f))
			return
		}
		h.renderCompanies(w, r, http.StatusUnprocessableEntity, f)
		return
	}
	if err != nil {
		h.Errs.Error(w, r, err)
		return
	}
	if respond.IsHTMX(r) {
		cols := form(r, "columns")
		var row view.ListRow
		err := h.read(r.Context(), func(tx *store.Tx) (err error) {
			row, err = newRow(tx, principal(r).WorkspaceID, "company", cols, c)
			return err
		})
		if err != nil {
			h.Errs.Error(w, r, err)
			return
		}
		h.render(w, r, http.StatusOK, view.CompanyCreated(row, view.CompanyForm{Columns: cols}))
		return
	}
	h.flash(w, "ok", "Company "+c.Name+" added.")
	http.Redirect(w, r, "/companies", http.StatusSeeOther)
}
