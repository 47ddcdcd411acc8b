// Package api is Tandem's JSON API under /api/v1, built with huma so that the
// OpenAPI 3.1 document is generated from the Go request and response types
// and can never drift from the handlers. Every operation authenticates with
// a bearer API key and calls the same domain functions as the browser UI.
// Errors are application/problem+json in the one shape respond.Problem.
package api
