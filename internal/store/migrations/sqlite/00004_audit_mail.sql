-- System email outbox and the tamper-evident audit log.
-- Times are INTEGER Unix microseconds (store.Micros). IDs come from Go.

-- +goose Up

-- Every system email (invitation, password reset, 2FA notice) is written here
-- in the transaction that caused it, then delivered by a job. workspace_id is
-- 0 for instance-level mail. The unique idempotency key makes a retried
-- request queue a message once; the claim columns make a retried job send it
-- once.
CREATE TABLE outbox (
    id              INTEGER PRIMARY KEY,
    workspace_id    INTEGER NOT NULL DEFAULT 0,
    idempotency_key TEXT    NOT NULL,
    recipient       TEXT    NOT NULL,
    subject         TEXT    NOT NULL,
    text_body       TEXT    NOT NULL,
    html_body       TEXT    NOT NULL DEFAULT '',
    status          TEXT    NOT NULL,   -- queued, sending, sent, failed, logged
    error           TEXT    NOT NULL DEFAULT '',
    attempts        INTEGER NOT NULL DEFAULT 0,
    claimed_at      INTEGER NOT NULL DEFAULT 0,
    created_at      INTEGER NOT NULL,
    sent_at         INTEGER NOT NULL DEFAULT 0
);
CREATE UNIQUE INDEX outbox_idempotency ON outbox (workspace_id, idempotency_key);
CREATE INDEX outbox_recent ON outbox (workspace_id, id);

-- Append-only, hash-chained per workspace (workspace_id 0: instance-level
-- events such as a failed sign-in for an unknown email). seq orders the chain;
-- ids from several replicas are not ordered by commit. details is TEXT, not
-- JSON/JSONB, because the hash covers its exact bytes. pd_salt and pd_digest
-- let erasure blank ip, user_agent and details without breaking the chain
-- (see internal/audit).
CREATE TABLE audit_log (
    id           INTEGER PRIMARY KEY,
    workspace_id INTEGER NOT NULL,
    seq          INTEGER NOT NULL,
    at           INTEGER NOT NULL,
    actor_type   TEXT    NOT NULL,
    actor_id     INTEGER NOT NULL,
    action       TEXT    NOT NULL,
    object_type  TEXT    NOT NULL,
    object_id    INTEGER NOT NULL,
    ip           TEXT    NOT NULL,
    user_agent   TEXT    NOT NULL,
    details      TEXT    NOT NULL,
    pd_salt      TEXT    NOT NULL,
    pd_digest    TEXT    NOT NULL,
    prev_hash    TEXT    NOT NULL,
    hash         TEXT    NOT NULL
);
CREATE UNIQUE INDEX audit_log_seq ON audit_log (workspace_id, seq);
CREATE INDEX audit_log_object ON audit_log (workspace_id, object_type, object_id, seq);
CREATE INDEX audit_log_actor ON audit_log (workspace_id, actor_type, actor_id, seq);
CREATE INDEX audit_log_action ON audit_log (workspace_id, action, seq);

-- The end of each workspace's chain. Writers lock this row (FOR UPDATE on
-- PostgreSQL) so that concurrent writers cannot fork the chain.
CREATE TABLE audit_heads (
    workspace_id INTEGER PRIMARY KEY,
    seq          INTEGER NOT NULL,
    last_id      INTEGER NOT NULL,
    hash         TEXT    NOT NULL
);

-- +goose Down
DROP TABLE audit_heads;
DROP TABLE audit_log;
DROP TABLE outbox;
