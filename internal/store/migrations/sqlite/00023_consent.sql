-- Consent and suppression (issue 7). The suppression list holds keyed hashes
-- only (HMAC of the normalised identifier, see internal/consent), so it can
-- outlive the erasure of the person it protects. The consent ledger is
-- append-only; consent_current is its latest entry per contact and purpose,
-- kept in the same transaction, for filters and "may we contact" checks.

-- +goose Up
CREATE TABLE suppressions (
    id           INTEGER PRIMARY KEY,
    workspace_id INTEGER NOT NULL,
    kind         TEXT    NOT NULL,   -- email, phone, domain
    hash         TEXT    NOT NULL,   -- HMAC-SHA256, base64url; never the value
    reason       TEXT    NOT NULL,   -- unsubscribed, erased, bounced, manual
    actor_type   TEXT    NOT NULL,
    actor_id     INTEGER NOT NULL DEFAULT 0,
    created_at   INTEGER NOT NULL
);
CREATE UNIQUE INDEX suppressions_hash ON suppressions (workspace_id, kind, hash);

CREATE TABLE consent_purposes (
    workspace_id     INTEGER NOT NULL,
    purpose          TEXT    NOT NULL,
    label            TEXT    NOT NULL,
    requires_consent INTEGER NOT NULL DEFAULT 1,
    position         INTEGER NOT NULL DEFAULT 0,
    updated_at       INTEGER NOT NULL,
    PRIMARY KEY (workspace_id, purpose)
);

CREATE TABLE consent_settings (
    workspace_id   INTEGER PRIMARY KEY,
    allow_recreate INTEGER NOT NULL DEFAULT 0,  -- suppressed address may be re-created (without contact permission)
    tracking       TEXT    NOT NULL DEFAULT 'consent', -- off, on, consent
    updated_at     INTEGER NOT NULL
);

CREATE TABLE consent_records (
    id             INTEGER PRIMARY KEY,
    workspace_id   INTEGER NOT NULL,
    contact_id     INTEGER NOT NULL,
    purpose        TEXT    NOT NULL,
    status         TEXT    NOT NULL,   -- granted, withdrawn, denied
    basis          TEXT    NOT NULL,
    source         TEXT    NOT NULL,
    notice_version TEXT    NOT NULL DEFAULT '',
    ip             TEXT    NOT NULL DEFAULT '',  -- truncated to /24 or /48
    user_agent     TEXT    NOT NULL DEFAULT '',
    evidence_at    INTEGER NOT NULL,
    actor_type     TEXT    NOT NULL,
    actor_id       INTEGER NOT NULL DEFAULT 0,
    created_at     INTEGER NOT NULL
);
CREATE INDEX consent_records_contact ON consent_records (workspace_id, contact_id, id);

CREATE TABLE consent_current (
    workspace_id INTEGER NOT NULL,
    contact_id   INTEGER NOT NULL,
    purpose      TEXT    NOT NULL,
    status       TEXT    NOT NULL,
    basis        TEXT    NOT NULL,
    record_id    INTEGER NOT NULL,
    updated_at   INTEGER NOT NULL,
    PRIMARY KEY (workspace_id, contact_id, purpose)
);
CREATE INDEX consent_current_purpose ON consent_current (workspace_id, purpose, status);

-- +goose Down
DROP TABLE consent_current;
DROP TABLE consent_records;
DROP TABLE consent_settings;
DROP TABLE consent_purposes;
DROP TABLE suppressions;
