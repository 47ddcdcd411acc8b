package ui

import "net/http"

// ContactFieldEdit answers htmx with one field of a contact, as an editor
// or (show=1) as its value.
func (h *Handlers) ContactFieldEdit(w http.ResponseWriter, r *http.Request) {
	h.editFact(w, r, "contact")
}

// ContactFieldSave changes one field of a contact (If-Match by version).
func (h *Handlers) ContactFieldSave(w http.ResponseWriter, r *http.Request) {
	h.saveFact(w, r, "contact")
}
