// Package store owns Tandem's connection to its database: SQLite (embedded,
// the default) or PostgreSQL. It opens the pools, applies the migrations of
// each dialect, runs transactions that carry a fixed "now", writes the event
// stream, and refuses any query that touches a workspace-owned table without a
// workspace_id condition.
//
// SQL in Tandem is written by hand with "?" placeholders next to the domain code
// that uses it; the Tx rewrites placeholders for PostgreSQL. Where the dialects
// differ, Dialect says it once. This package knows nothing about HTTP.
//
// Times are stored as BIGINT Unix microseconds in both dialects (see Micros):
// one encoding, exact comparisons, compact indexes.
package store
