// Package filter owns Tandem's filter language: one small, typed expression
// language shared by list views, saved views, the API (?filter=), workflow
// conditions, sequences and reports.
//
//	lifecycle in ("lead", "prospect") and company.size >= 50 and owner = me()
//
// Text is lexed and parsed into an AST (Parse), type-checked against a Schema
// the caller supplies (Check), and then either compiled to a parameterised SQL
// WHERE fragment for SQLite or PostgreSQL (Filter.SQL) or evaluated over an
// in-memory record (Filter.Eval) with the same semantics.
//
// The package knows no table: every object (contacts, companies, deals…)
// describes its fields, custom fields and relations as data. It never puts a
// user's value into SQL text — values travel as arguments, and names come only
// from the schema. It does not decide who may see which records: callers AND
// the fragment with their own workspace and permission conditions.
//
// docs/FILTERS.md is the user-facing reference; keep it in step.
package filter
