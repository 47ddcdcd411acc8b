package api

import (
	"context"
	"net/http"
	"strings"

	"github.com/danielgtaylor/huma/v2"
	"github.com/danielgtaylor/huma/v2/adapters/humago"

	"github.com/tandemcrm/tandem/internal/account"
	"github.com/tandemcrm/tandem/internal/crm"
	"github.com/tandemcrm/tandem/internal/store"
)

// authenticate resolves the bearer key of every API operation into a
// crm.Principal in the request context, or answers 401.
func (a *API) authenticate(ctx huma.Context, next func(huma.Context)) {
	r, w := humago.Unwrap(ctx)
	p, err := a.principalFor(r)
	if err != nil {
		a.writeErr(w, r, err)
		return
	}
	next(huma.WithContext(ctx, crm.WithPrincipal(ctx.Context(), p)))
}

// principalFor authenticates r's bearer key.
func (a *API) principalFor(r *http.Request) (crm.Principal, error) {
	h := r.Header.Get("Authorization")
	key, ok := strings.CutPrefix(h, "Bearer ")
	if !ok || key == "" {
		return crm.Principal{}, crm.Errorf(crm.Unauthorized,
			"Send an API key as Authorization: Bearer <key>. Create one in Settings → API keys.")
	}
	var p crm.Principal
	var due bool
	err := a.DB.Read(r.Context(), func(tx *store.Tx) (err error) {
		p, due, err = account.AuthenticateAPIKey(tx, strings.TrimSpace(key))
		return err
	})
	if err != nil {
		return p, err
	}
	if due {
		// Best effort: a failed touch must not fail the request.
		ctx := context.WithoutCancel(r.Context())
		if err := a.DB.Write(ctx, func(tx *store.Tx) error { return account.TouchAPIKey(tx, p.WorkspaceID, p.APIKeyID) }); err != nil {
			a.Log.Warn("record api key use", "err", err)
		}
	}
	return p, nil
}

// principal returns the authenticated principal of an operation's context.
func principal(ctx context.Context) crm.Principal {
	p, _ := crm.PrincipalFrom(ctx)
	return p
}
