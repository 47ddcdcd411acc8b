// Package crm is Tandem's domain vocabulary: identifiers, records, roles, events
// and the error type with codes that every layer speaks.
//
// It imports nothing internal and nothing that touches a database, HTTP or the
// file system, so every other package can depend on it and it can depend on no
// one. Rules that must hold the same for the UI, the API, exports and webhooks
// (validation, permissions) are written here or in the use-case packages above
// the store, never in SQL for one dialect only.
package crm
