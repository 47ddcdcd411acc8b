package ui

import (
	"bytes"
	"context"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"strconv"
	"strings"
	"sync"

	"github.com/a-h/templ"
	"github.com/riverqueue/river"

	"github.com/tandemcrm/tandem/internal/account"
	"github.com/tandemcrm/tandem/internal/audit"
	"github.com/tandemcrm/tandem/internal/crm"
	"github.com/tandemcrm/tandem/internal/files"
	"github.com/tandemcrm/tandem/internal/notes"
	"github.com/tandemcrm/tandem/internal/privacy"
	"github.com/tandemcrm/tandem/internal/secrets"
	"github.com/tandemcrm/tandem/internal/sso"
	"github.com/tandemcrm/tandem/internal/store"
	"github.com/tandemcrm/tandem/internal/sysmail"
	"github.com/tandemcrm/tandem/internal/web/assets"
	"github.com/tandemcrm/tandem/internal/web/respond"
	"github.com/tandemcrm/tandem/internal/web/view"
)

// Handlers serve the browser UI.
type Handlers struct {
	DB     *store.DB
	Log    *slog.Logger
	Errs   respond.Errors
	Assets *assets.Set
	// Queue enqueues system mail in a transaction; nil in tests (mail then
	// stays in the outbox table).
	Queue sysmail.Enqueuer
	// Key seals secrets at rest (TOTP seeds).
	Key *secrets.Key
	// Files keeps attachments under the data directory.
	Files files.Store
	// Notes renders and stores notes on records.
	Notes notes.Service
	// SSO is the OpenID Connect provider for sign-in; nil when none.
	SSO *sso.Provider
	// SSOName labels the sign-in button.
	SSOName string
	// SMTP says whether system mail is delivered (else logged and kept).
	SMTP bool
	// BaseURL is the public URL that links in emails start with.
	BaseURL string
	// SecureCookies marks cookies Secure (the public URL is https).
	SecureCookies bool
	// Privacy runs export, erasure, requests and retention.
	Privacy privacy.Service

	// ImportDir keeps uploaded import files ("" : a temp directory).
	ImportDir string
	// Views records who viewed or exported personal data (nil: nobody).
	Views *audit.Views
}

// render writes a component with status.
//
// The page is rendered into memory first and sent in one write with its
// length: written as it renders, a list page went out in 4 KB chunks, a
// system call each (a twelfth of the server's CPU under a list workload),
// and a template that failed halfway sent half a page with a 200.
func (h *Handlers) render(w http.ResponseWriter, r *http.Request, status int, c templ.Component) {
	buf := pageBuffers.Get().(*bytes.Buffer)
	buf.Reset()
	defer func() {
		if buf.Cap() <= maxPooledPage {
			pageBuffers.Put(buf)
		}
	}()
	if err := c.Render(r.Context(), buf); err != nil {
		h.Errs.Error(w, r, fmt.Errorf("render %s: %w", r.URL.Path, err)) // logged there
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("Content-Length", strconv.Itoa(buf.Len()))
	w.WriteHeader(status)
	_, _ = w.Write(buf.Bytes())
}

// pageBuffers hold rendered pages between requests; one that grew past
// maxPooledPage (a list of hundreds of wide rows) is left to the collector.
var pageBuffers = sync.Pool{New: func() any { return new(bytes.Buffer) }}

const maxPooledPage = 1 << 20

// shell builds the frame of a signed-in page, consuming pending flashes.
func (h *Handlers) shell(w http.ResponseWriter, r *http.Request, title, active string) view.Shell {
	p, _ := crm.PrincipalFrom(r.Context())
	return view.Shell{Title: title, Active: active, User: p, Flashes: h.takeFlashes(w, r), Asset: h.Assets.URL}
}

func (h *Handlers) queue() sysmail.Enqueuer {
	if h.Queue == nil {
		return noQueue{}
	}
	return h.Queue
}

// noQueue keeps mail in the outbox without delivering it (tests).
type noQueue struct{}

func (noQueue) Enqueue(*store.Tx, river.JobArgs, *river.InsertOpts) error { return nil }

// client describes where a request came from, for the audit log.
func (h *Handlers) client(r *http.Request) account.Client {
	return account.Client{IP: clientIP(r), UserAgent: r.UserAgent(), Hash: func(id string) string {
		s, _ := h.Key.Hash("audit.signin-email", id)
		return s
	}}
}

// viewed notes in the audit log that the signed-in user saw (or, with an
// action, exported) personal data. Call it after the read, never inside a
// write transaction: a full buffer writes its batch there and then.
func (h *Handlers) viewed(r *http.Request, action, object string, id crm.ID, details map[string]any) {
	if h.Views == nil {
		return
	}
	p := principal(r)
	h.Views.Viewed(r.Context(), audit.Entry{WorkspaceID: p.WorkspaceID, Actor: p.Actor(), Action: action,
		ObjectType: object, ObjectID: id, Details: details})
}

// exported records a list export in the audit log (after it was streamed).
func (h *Handlers) exported(ctx context.Context, p crm.Principal, object, format string, rows int) {
	if err := audit.ListExported(ctx, h.DB, p, object, format, rows); err != nil {
		h.Log.ErrorContext(ctx, "export not audited", "err", err)
	}
}

// principal is the signed-in user of a request behind RequireUser.
func principal(r *http.Request) crm.Principal {
	p, _ := crm.PrincipalFrom(r.Context())
	return p
}

// clientIP is the peer address without port. Tandem trusts no proxy headers
// unless an operator puts it behind one (later: a trusted-proxy setting).
func clientIP(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}

// form reads a trimmed form value.
func form(r *http.Request, name string) string { return strings.TrimSpace(r.PostFormValue(name)) }

func (h *Handlers) write(ctx context.Context, fn func(*store.Tx) error) error {
	return h.DB.Write(ctx, fn)
}
func (h *Handlers) read(ctx context.Context, fn func(*store.Tx) error) error {
	return h.DB.Read(ctx, fn)
}

// ErrorPage renders the branded error page (respond.Errors calls it).
func (h *Handlers) ErrorPage(w http.ResponseWriter, r *http.Request, status int, title, message string) {
	switch status {
	case http.StatusNotFound:
		title, message = "Page not found", "There is nothing here — it may have been moved, deleted, or never existed."
	case http.StatusForbidden:
		title = "Not allowed"
	case http.StatusInternalServerError:
		title = "Something went wrong"
	}
	h.render(w, r, status, view.ErrorPage(status, title, message, h.Assets.URL))
}
