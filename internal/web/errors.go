package web

import (
	"net/http"
)

// errorPage renders the branded error page for browsers.
func (s *Server) errorPage(w http.ResponseWriter, r *http.Request, status int, title, message string) {
	s.ui.ErrorPage(w, r, status, title, message)
}
