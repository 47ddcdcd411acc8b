package crm

import "context"

type ctxKey int

const requestIDKey ctxKey = iota

// WithRequestID returns a context that carries the id of the request being
// served, so the events written for it can be traced to its log lines.
func WithRequestID(ctx context.Context, id string) context.Context {
	return context.WithValue(ctx, requestIDKey, id)
}

// RequestID returns the request id carried by ctx, or "".
func RequestID(ctx context.Context) string {
	s, _ := ctx.Value(requestIDKey).(string)
	return s
}

const principalKey ctxKey = iota + 100

// Principal is who is acting in a request: a signed-in user (or an API key
// acting for one) in one workspace with one role. Permission checks in the
// domain layer read it, so the UI and the API obey the same rules.
type Principal struct {
	UserID      ID
	WorkspaceID ID
	Role        Role
	Name        string
	Email       string
	Workspace   string // workspace name, for display
	APIKeyID    ID     // set when acting through an API key
	// TwoFactor: the user has a second factor; Require2FA: the workspace
	// demands one. A session lacking it is sent to set one up.
	TwoFactor  bool
	Require2FA bool
}

// Actor is the event-stream actor for p.
func (p Principal) Actor() Actor {
	if p.APIKeyID != 0 {
		return Actor{Type: "apikey", ID: p.APIKeyID}
	}
	return UserActor(p.UserID)
}

// WithPrincipal returns a context carrying p.
func WithPrincipal(ctx context.Context, p Principal) context.Context {
	return context.WithValue(ctx, principalKey, p)
}

// PrincipalFrom returns the principal carried by ctx and whether there was one.
func PrincipalFrom(ctx context.Context) (Principal, bool) {
	p, ok := ctx.Value(principalKey).(Principal)
	return p, ok
}
