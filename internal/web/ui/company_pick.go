package ui

import (
	"net/http"

	"github.com/tandemcrm/tandem/internal/records"
	"github.com/tandemcrm/tandem/internal/store"
	"github.com/tandemcrm/tandem/internal/web/respond"
)

// pickChoices is how many companies a picker shows at once.
const pickChoices = 12

// companyChoice is one company a picker offers (JSON for app.js).
type companyChoice struct {
	ID     string `json:"id"`
	Name   string `json:"name"`
	Detail string `json:"detail,omitempty"` // its domains
}

// CompanyPick answers a company picker (view.CompanyPicker) as the user
// types: GET /companies/pick?q=TEXT gives {"choices": [...]}, the newest
// companies when nothing is typed.
func (h *Handlers) CompanyPick(w http.ResponseWriter, r *http.Request) {
	var out struct {
		Choices []companyChoice `json:"choices"`
	}
	out.Choices = []companyChoice{}
	err := h.read(r.Context(), func(tx *store.Tx) error {
		rs, err := records.PickCompanies(tx, principal(r), r.URL.Query().Get("q"), pickChoices)
		for _, c := range rs {
			out.Choices = append(out.Choices, companyChoice{ID: c.ID.String(), Name: c.Title, Detail: c.Subtitle})
		}
		return err
	})
	if err != nil {
		h.Errs.Error(w, r, err)
		return
	}
	w.Header().Set("Cache-Control", "no-store")
	respond.JSON(w, http.StatusOK, out)
}
