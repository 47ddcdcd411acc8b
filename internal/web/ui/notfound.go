package ui

import (
	"net/http"

	"github.com/tandemcrm/tandem/internal/crm"
)

// NotFound answers every path no route matched: the branded page for
// browsers, problem+json for API clients.
func (h *Handlers) NotFound(w http.ResponseWriter, r *http.Request) {
	h.Errs.Error(w, r, crm.Errorf(crm.NotFound, "Not found."))
}
