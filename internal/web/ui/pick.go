package ui

import (
	"net/http"
	"strings"

	"github.com/tandemcrm/tandem/internal/deals"
	"github.com/tandemcrm/tandem/internal/records"
	"github.com/tandemcrm/tandem/internal/store"
	"github.com/tandemcrm/tandem/internal/web/respond"
)

// pickChoices is how many records a picker shows at once.
const pickChoices = 12

// pickChoice is one record a picker offers (JSON for app.js).
type pickChoice struct {
	ID     string `json:"id"`
	Name   string `json:"name"`
	Detail string `json:"detail,omitempty"` // what tells it apart: domains, email and company, stage
}

// CompanyPick answers a company picker (view.CompanyPicker) as the user
// types: GET /companies/pick?q=TEXT gives {"choices": [...]}, the newest
// companies when nothing is typed.
func (h *Handlers) CompanyPick(w http.ResponseWriter, r *http.Request) {
	h.pick(w, r, func(tx *store.Tx, q string) ([]pickChoice, error) {
		rs, err := records.PickCompanies(tx, principal(r), q, pickChoices)
		return resultChoices(rs), err
	})
}

// ContactPick answers a contact picker (view.ContactPicker): GET
// /contacts/pick?q=TEXT, the newest contacts when nothing is typed.
func (h *Handlers) ContactPick(w http.ResponseWriter, r *http.Request) {
	h.pick(w, r, func(tx *store.Tx, q string) ([]pickChoice, error) {
		rs, err := records.PickContacts(tx, principal(r), q, pickChoices)
		return resultChoices(rs), err
	})
}

// DealPick answers a deal picker (view.DealPicker): GET /deals/pick?q=TEXT,
// the newest open deals when nothing is typed.
func (h *Handlers) DealPick(w http.ResponseWriter, r *http.Request) {
	h.pick(w, r, func(tx *store.Tx, q string) ([]pickChoice, error) {
		ds, err := deals.Pick(tx, principal(r), q, pickChoices)
		out := make([]pickChoice, 0, len(ds))
		for _, d := range ds {
			detail := d.StageName
			if d.Status != "open" {
				detail = d.Status
			}
			if d.CompanyName != "" {
				detail += " · " + d.CompanyName
			}
			out = append(out, pickChoice{ID: d.ID.String(), Name: d.Title, Detail: detail})
		}
		return out, err
	})
}

func resultChoices(rs []records.Result) []pickChoice {
	out := make([]pickChoice, 0, len(rs))
	for _, c := range rs {
		name, detail := c.Title, c.Subtitle
		if name == "" { // a contact known only by an email
			name, detail = detail, ""
		}
		out = append(out, pickChoice{ID: c.ID.String(), Name: name, Detail: detail})
	}
	return out
}

// pick answers a picker's GET ?q= with {"choices": [...]}.
func (h *Handlers) pick(w http.ResponseWriter, r *http.Request, find func(tx *store.Tx, q string) ([]pickChoice, error)) {
	var out struct {
		Choices []pickChoice `json:"choices"`
	}
	out.Choices = []pickChoice{}
	err := h.read(r.Context(), func(tx *store.Tx) error {
		cs, err := find(tx, strings.TrimSpace(r.URL.Query().Get("q")))
		out.Choices = append(out.Choices, cs...)
		return err
	})
	if err != nil {
		h.Errs.Error(w, r, err)
		return
	}
	w.Header().Set("Cache-Control", "no-store")
	respond.JSON(w, http.StatusOK, out)
}
