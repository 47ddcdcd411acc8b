package web

import (
	"net/http"
)

// errorPage renders a branded error page for browsers.
func (s *Server) errorPage(w http.ResponseWriter, r *http.Request, status int, title, message string) {
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.WriteHeader(status)
	w.Write([]byte(title + ": " + message + "\n"))
}
