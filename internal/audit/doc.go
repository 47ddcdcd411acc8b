// Package audit keeps the append-only, tamper-evident log of access to and
// changes of personal data and of security events (sign-ins, second-factor
// and password changes, API keys, exports, erasures).
//
// Each workspace has its own hash chain (workspace 0 holds instance-level
// events, such as a failed sign-in for an unknown address). An entry's hash
// is SHA-256 over the previous entry's hash and a canonical encoding of the
// entry, so editing, inserting or deleting a row breaks every later link, and
// Verify names the first entry that no longer fits. The chain is ordered by a
// per-workspace seq, not by id: ids from several replicas do not follow
// commit order. Writers lock the workspace's row in audit_heads, so
// concurrent writers on PostgreSQL queue instead of forking the chain; on
// SQLite the single writer connection already serialises them.
//
// What the chain cannot show: someone with write access to the database who
// deletes the newest entries and rewinds audit_heads to match. Exporting the
// head hash now and then (for instance in backups or the operator's log)
// closes that gap; this package does not do it yet.
//
// # Erasure without breaking the chain
//
// Personal data in an entry sits in three fields: ip, user_agent and details.
// The chain hash does not cover them directly. It covers pd_digest =
// SHA-256(pd_salt, ip, user_agent, details), where pd_salt is 16 random bytes
// per entry. Verify recomputes pd_digest from the stored fields, so changing
// any of them is detected as before. Erasure (ErasePersonal) blanks the three
// fields and the salt but keeps pd_digest: Verify then accepts the stored
// digest for that entry and still checks everything else (who, what, when,
// order). Without the salt the digest cannot be brute-forced back to a
// truncated IP or a short e-mail address. A tamperer can thus "erase" an
// entry's personal fields, visibly, but cannot forge them. Actor and object
// ids are internal ids and stay: once the person's records are deleted they
// point at nothing. The caller records the erasure itself as an entry.
//
// The package must not hold business rules about who may read the log; the
// admin page checks permissions before calling List.
package audit
