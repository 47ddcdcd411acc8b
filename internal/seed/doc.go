// Package seed generates deterministic, plausible CRM data — users, companies,
// contacts, deals and activities — for demos (`tandem seed --demo`) and for
// the benchmark harness (sizes S, M, L). The same Options.Seed and Options.Now
// always produce the same rows: every table draws from its own PCG stream, so
// changing one count does not reshuffle the others.
//
// It writes through the store's bulk path (big transactions, multi-row
// INSERTs) and deliberately skips the per-record events that domain code
// writes: seeding is a bulk load, like an import, and a million "created"
// events would only slow it down and flood the timeline. Workspace, users
// and memberships go through internal/account, so they do get events.
//
// It must not be used on data that matters: it only ever adds rows to a new
// workspace of its own.
package seed
