package audit

import "context"

// Client is where a request came from: the network address and the
// browser or program that sent it.
type Client struct {
	IP        string
	UserAgent string
}

type clientKey struct{}

// WithClient returns ctx carrying c. The web layer sets it on every request,
// so entries recorded in that request's transactions (Record without IP and
// user agent, and every change logged from the event stream) say where the
// request came from.
func WithClient(ctx context.Context, c Client) context.Context {
	return context.WithValue(ctx, clientKey{}, c)
}

// ClientFrom returns the client in ctx, or the zero Client.
func ClientFrom(ctx context.Context) Client {
	c, _ := ctx.Value(clientKey{}).(Client)
	return c
}
