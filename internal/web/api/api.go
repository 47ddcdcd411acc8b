package api

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
	"reflect"
	"strings"
	"sync"

	"github.com/danielgtaylor/huma/v2"
	"github.com/danielgtaylor/huma/v2/adapters/humago"

	"github.com/tandemcrm/tandem/internal/audit"
	"github.com/tandemcrm/tandem/internal/crm"
	"github.com/tandemcrm/tandem/internal/notes"
	"github.com/tandemcrm/tandem/internal/privacy"
	"github.com/tandemcrm/tandem/internal/store"
	"github.com/tandemcrm/tandem/internal/sysmail"
	"github.com/tandemcrm/tandem/internal/web/respond"
)

// Prefix is where the API lives.
const Prefix = "/api/v1"

// Deps is what the API needs.
type Deps struct {
	DB      *store.DB
	Log     *slog.Logger
	Version string
	// Queue enqueues outbox delivery in a transaction (meeting invitations);
	// nil keeps mail in the outbox undelivered (tests).
	Queue sysmail.Enqueuer
	// BaseURL is the public URL, for links and iCalendar UIDs.
	BaseURL string

	Privacy privacy.Service // export, erasure, requests, retention
	// ImportDir keeps uploaded import files (default: a temp directory).
	ImportDir string
	// Views records who viewed or exported personal data (nil: nobody).
	Views *audit.Views
}

// API holds the huma API and its dependencies.
type API struct {
	Deps
	huma  huma.API
	notes notes.Service
}

var setupErrors sync.Once

// New registers every API operation on mux under /api/v1 and serves the
// OpenAPI document at /api/v1/openapi.json. huma's own docs page is off: it
// loads scripts from a CDN.
func New(mux *http.ServeMux, d Deps) *API {
	if d.Log == nil {
		d.Log = slog.New(slog.DiscardHandler)
	}
	if d.Privacy.Registry == nil {
		d.Privacy.Registry = privacy.Default()
	}
	// huma builds every error through this package-level hook; ours makes
	// them the same problem shape as the rest of Tandem. Same function every
	// time, so setting it once per process is enough.
	setupErrors.Do(func() { huma.NewError = newError })
	cfg := huma.DefaultConfig("Tandem API", d.Version)
	cfg.DocsPath = ""
	cfg.SchemasPath = ""
	cfg.CreateHooks = nil // no $schema links injected into bodies
	cfg.Info.Description = "The REST API of Tandem, the self-hosted sales CRM. " +
		"Authenticate with `Authorization: Bearer <API key>`; keys are created in Settings or with `tandem apikey create`. " +
		"Ids are strings. Errors are application/problem+json."
	cfg.Servers = []*huma.Server{{URL: Prefix}}
	// Ids are 64-bit: JSON carries them as strings (crm.ID marshals so).
	cfg.Components.Schemas.RegisterTypeAlias(reflect.TypeFor[crm.ID](), reflect.TypeFor[string]())
	cfg.Components.SecuritySchemes = map[string]*huma.SecurityScheme{
		"bearer": {Type: "http", Scheme: "bearer", Description: "An API key: tdm_…"},
	}
	cfg.Security = []map[string][]string{{"bearer": {}}}
	a := &API{Deps: d, notes: notes.Service{R: notes.NewRenderer()}}
	a.huma = humago.NewWithPrefix(mux, Prefix, cfg)
	a.huma.UseMiddleware(a.authenticate)
	a.routes()
	// Unknown paths under the API still demand a key first, then 404.
	mux.HandleFunc(Prefix+"/", a.notFound)
	return a
}

// viewed notes in the audit log that the caller saw (or, with an action,
// exported) personal data. Call it after the read transaction.
func (a *API) viewed(ctx context.Context, action, object string, id crm.ID, details map[string]any) {
	if a.Views == nil {
		return
	}
	p := principal(ctx)
	a.Views.Viewed(ctx, audit.Entry{WorkspaceID: p.WorkspaceID, Actor: p.Actor(), Action: action,
		ObjectType: object, ObjectID: id, Details: details})
}

// OpenAPI returns the generated document (for tests and docs).
func (a *API) OpenAPI() *huma.OpenAPI { return a.huma.OpenAPI() }

func (a *API) notFound(w http.ResponseWriter, r *http.Request) {
	if _, err := a.principalFor(r); err != nil {
		a.writeErr(w, r, err)
		return
	}
	a.writeErr(w, r, crm.Errorf(crm.NotFound, "No such API endpoint: %s %s.", r.Method, r.URL.Path))
}

func (a *API) writeErr(w http.ResponseWriter, r *http.Request, err error) {
	respond.Errors{Log: a.Log}.Error(w, r, err)
}

// problem is huma's StatusError in Tandem's problem shape.
type problem struct{ respond.Problem }

func (p *problem) Error() string  { return p.Detail }
func (p *problem) GetStatus() int { return p.Status }
func (p *problem) ContentType(string) string {
	return "application/problem+json"
}

// newError replaces huma.NewError: validation details become per-field
// messages keyed by the field's path ("email", "query.limit").
func newError(status int, msg string, errs ...error) huma.StatusError {
	p := &problem{respond.Problem{Title: http.StatusText(status), Status: status, Detail: msg, Code: codeFor(status)}}
	for _, e := range errs {
		if p.Errors == nil {
			p.Errors = map[string]string{}
		}
		if d, ok := e.(huma.ErrorDetailer); ok {
			det := d.ErrorDetail()
			loc := strings.TrimPrefix(det.Location, "body.")
			if _, dup := p.Errors[loc]; !dup {
				p.Errors[loc] = det.Message
			}
			continue
		}
		p.Errors["_"] = e.Error()
	}
	if status == http.StatusUnprocessableEntity && msg == "validation failed" {
		p.Detail = "Please correct the fields listed in errors."
	}
	return p
}

func codeFor(status int) crm.Code {
	switch status {
	case http.StatusBadRequest, http.StatusUnprocessableEntity:
		return crm.Invalid
	case http.StatusNotFound:
		return crm.NotFound
	case http.StatusConflict, http.StatusPreconditionFailed:
		return crm.Conflict
	case http.StatusForbidden:
		return crm.Forbidden
	case http.StatusUnauthorized:
		return crm.Unauthorized
	case http.StatusTooManyRequests:
		return crm.TooMany
	}
	return crm.Internal
}

// fail turns a domain error into the API's problem, logging internal ones.
func (a *API) fail(ctx context.Context, err error) error {
	code := crm.ErrorCode(err)
	status := respond.Status(code)
	switch {
	case ctx.Err() != nil && errors.Is(err, ctx.Err()):
		// The client went away: nothing went wrong on our side.
		a.Log.DebugContext(ctx, "api client gone", "request_id", crm.RequestID(ctx))
	case status >= 500:
		a.Log.ErrorContext(ctx, "api request failed", "err", err, "request_id", crm.RequestID(ctx))
	}
	return &problem{respond.Problem{Title: http.StatusText(status), Status: status, Code: code,
		Detail: crm.ErrorMessage(err), Errors: crm.ErrorFields(err)}}
}
