package ui

import (
	"net/http"
	"strings"

	"github.com/tandemcrm/tandem/internal/records"
	"github.com/tandemcrm/tandem/internal/store"
	"github.com/tandemcrm/tandem/internal/web/view"
)

// SearchShow is the search results page.
func (h *Handlers) SearchShow(w http.ResponseWriter, r *http.Request) {
	q := strings.TrimSpace(r.URL.Query().Get("q"))
	var rows []view.SearchRow
	if q != "" {
		err := h.read(r.Context(), func(tx *store.Tx) error {
			rs, err := records.Search(tx, principal(r), q, 30)
			for _, x := range rs {
				url := "/contacts/" + x.ID.String()
				if x.Type == "company" {
					url = "/companies/" + x.ID.String()
				}
				rows = append(rows, view.SearchRow{Type: x.Type, Title: x.Title, Subtitle: x.Subtitle, URL: url})
			}
			return err
		})
		if err != nil {
			h.Errs.Error(w, r, err)
			return
		}
	}
	h.render(w, r, http.StatusOK, view.SearchPage(h.shell(w, r, "Search", ""), q, rows))
}
