package ui

import "net/http"

// CompanyShow is a company's page, its fields editable in place like a
// contact's, with its timeline.
func (h *Handlers) CompanyShow(w http.ResponseWriter, r *http.Request) { h.showRecord(w, r, "company") }
