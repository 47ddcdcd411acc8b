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
