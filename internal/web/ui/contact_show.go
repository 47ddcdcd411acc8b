package ui

import "net/http"

// ContactShow is a contact's page: every field editable in place, the
// company link and the timeline.
func (h *Handlers) ContactShow(w http.ResponseWriter, r *http.Request) { h.showRecord(w, r, "contact") }
