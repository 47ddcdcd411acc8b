// Package respond writes HTTP responses for both the browser UI and the JSON
// API. Error is the one place where a domain error code becomes an HTTP
// status; the API gets application/problem+json, a browser an HTML page.
package respond

import (
	"encoding/json"
	"errors"
	"log/slog"
	"net/http"
	"strings"

	"github.com/tandemcrm/tandem/internal/crm"
)

// Status maps an error code to its HTTP status.
func Status(code crm.Code) int {
	switch code {
	case crm.Invalid:
		return http.StatusUnprocessableEntity
	case crm.NotFound:
		return http.StatusNotFound
	case crm.Conflict:
		return http.StatusConflict
	case crm.Forbidden:
		return http.StatusForbidden
	case crm.Unauthorized:
		return http.StatusUnauthorized
	case crm.TooMany:
		return http.StatusTooManyRequests
	}
	return http.StatusInternalServerError
}

// Problem is an RFC 9457 problem body, with per-field errors.
type Problem struct {
	Type     string            `json:"type,omitempty"`
	Title    string            `json:"title"`
	Status   int               `json:"status"`
	Detail   string            `json:"detail,omitempty"`
	Code     crm.Code          `json:"code"`
	Errors   map[string]string `json:"errors,omitempty"`
	Instance string            `json:"instance,omitempty"`
}

// ErrorPage renders an error as a full HTML page. The web server sets it to
// the branded page; the default is plain text.
type ErrorPage func(w http.ResponseWriter, r *http.Request, status int, title, message string)

// Errors knows how to answer with an error in the right form.
type Errors struct {
	Log  *slog.Logger
	Page ErrorPage
}

// Error answers r with err: logged once here (with its cause when internal),
// then written as problem+json or an HTML page.
func (e Errors) Error(w http.ResponseWriter, r *http.Request, err error) {
	if r.Context().Err() != nil && errors.Is(err, r.Context().Err()) {
		// The client went away (closed tab, timeout): nobody to answer,
		// nothing went wrong on our side.
		e.Log.DebugContext(r.Context(), "client gone", "path", r.URL.Path)
		w.WriteHeader(499)
		return
	}
	code := crm.ErrorCode(err)
	status := Status(code)
	if status >= 500 {
		e.Log.ErrorContext(r.Context(), "request failed", "method", r.Method, "path", r.URL.Path, "err", err)
	} else {
		e.Log.DebugContext(r.Context(), "request refused", "code", code, "err", err)
	}
	msg := crm.ErrorMessage(err)
	if WantsJSON(r) {
		WriteProblem(w, Problem{Title: http.StatusText(status), Status: status, Detail: msg, Code: code,
			Errors: crm.ErrorFields(err), Instance: r.URL.Path})
		return
	}
	if e.Page != nil {
		e.Page(w, r, status, http.StatusText(status), msg)
		return
	}
	http.Error(w, msg, status)
}

// WriteProblem writes p as application/problem+json.
func WriteProblem(w http.ResponseWriter, p Problem) {
	if p.Code == "" {
		p.Code = crm.Internal
	}
	w.Header().Set("Content-Type", "application/problem+json")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(p.Status)
	_ = json.NewEncoder(w).Encode(p)
}

// WantsJSON reports whether the client is an API client rather than a browser.
func WantsJSON(r *http.Request) bool {
	if strings.HasPrefix(r.URL.Path, "/api/") {
		return true
	}
	accept := r.Header.Get("Accept")
	return strings.Contains(accept, "application/json") && !strings.Contains(accept, "text/html")
}

// JSON writes v with status.
func JSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

// IsHTMX reports whether the request came from htmx (a partial update).
func IsHTMX(r *http.Request) bool { return r.Header.Get("HX-Request") == "true" }

// Redirect sends the browser to url after a form post: a 303 for plain
// forms, HX-Redirect for htmx so the page navigates instead of swapping.
func Redirect(w http.ResponseWriter, r *http.Request, url string) {
	if IsHTMX(r) {
		w.Header().Set("HX-Redirect", url)
		w.WriteHeader(http.StatusNoContent)
		return
	}
	http.Redirect(w, r, url, http.StatusSeeOther)
}
