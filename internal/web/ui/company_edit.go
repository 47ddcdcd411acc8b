package ui

import "net/http"

// CompanyFieldEdit is ContactFieldEdit for companies.
func (h *Handlers) CompanyFieldEdit(w http.ResponseWriter, r *http.Request) {
	h.editFact(w, r, "company")
}

// CompanyFieldSave is ContactFieldSave for companies.
func (h *Handlers) CompanyFieldSave(w http.ResponseWriter, r *http.Request) {
	h.saveFact(w, r, "company")
}
