package ui

import (
	"bytes"
	"context"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"

	"github.com/a-h/templ"

	"github.com/tandemcrm/tandem/internal/web/respond"
)

// A page goes out whole, with its length; a template that fails halfway
// sends an error, never the half it had written.
func TestRenderWholePageOrError(t *testing.T) {
	var logged bytes.Buffer
	h := &Handlers{Errs: respond.Errors{Log: slog.New(slog.NewTextHandler(&logged, nil))}}
	big := strings.Repeat("<p>row</p>", 2000) // past any 4 KB buffer
	page := templ.ComponentFunc(func(_ context.Context, w io.Writer) error {
		_, err := io.WriteString(w, big)
		return err
	})
	rec := httptest.NewRecorder()
	h.render(rec, httptest.NewRequest(http.MethodGet, "/contacts", nil), http.StatusCreated, page)
	if rec.Code != http.StatusCreated || rec.Body.String() != big {
		t.Fatalf("status %d, %d bytes; want 201 and %d bytes", rec.Code, rec.Body.Len(), len(big))
	}
	if got := rec.Header().Get("Content-Length"); got != strconv.Itoa(len(big)) {
		t.Errorf("Content-Length %q, want %d", got, len(big))
	}
	if ct := rec.Header().Get("Content-Type"); ct != "text/html; charset=utf-8" {
		t.Errorf("Content-Type %q", ct)
	}

	broken := templ.ComponentFunc(func(_ context.Context, w io.Writer) error {
		_, _ = io.WriteString(w, "<table><tr><td>half")
		return errors.New("template exploded")
	})
	rec = httptest.NewRecorder()
	h.render(rec, httptest.NewRequest(http.MethodGet, "/contacts", nil), http.StatusOK, broken)
	if rec.Code != http.StatusInternalServerError {
		t.Errorf("a failed render answered %d, want 500", rec.Code)
	}
	if strings.Contains(rec.Body.String(), "half") {
		t.Errorf("a failed render sent its partial page: %q", rec.Body.String())
	}
	if !strings.Contains(logged.String(), "template exploded") || !strings.Contains(logged.String(), "/contacts") {
		t.Errorf("the failure was not logged with its path: %q", logged.String())
	}
}
