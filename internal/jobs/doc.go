// Package jobs runs Tandem's background work on River, on SQLite or
// PostgreSQL, behind a small interface of our own: a Registry of workers and
// periodic jobs, a Runner that starts and stops them, and Enqueue, which
// inserts a job in the caller's store transaction so that a job exists
// exactly when the change that caused it was committed.
//
// River delivers at least once. A worker whose side effect must happen once
// does that effect and marks the job complete in one transaction
// (river.JobCompleteTx), or keys the effect by an idempotency key.
package jobs
