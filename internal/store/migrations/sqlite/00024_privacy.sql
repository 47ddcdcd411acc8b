-- Privacy centre: legal holds on contacts, the privacy-requests register,
-- retention policies per data kind, and per-workspace privacy settings (the
-- public request form's token and the default regime).

-- +goose Up
CREATE TABLE legal_holds (
    workspace_id INTEGER NOT NULL,
    contact_id   INTEGER NOT NULL,
    reason       TEXT    NOT NULL,
    set_by       INTEGER NOT NULL DEFAULT 0,
    set_at       INTEGER NOT NULL,
    PRIMARY KEY (workspace_id, contact_id)
);

CREATE TABLE privacy_requests (
    id              INTEGER PRIMARY KEY,
    workspace_id    INTEGER NOT NULL,
    type            TEXT    NOT NULL,   -- access, portability, rectification, erasure, restriction, objection
    regime          TEXT    NOT NULL,   -- gdpr, ccpa
    status          TEXT    NOT NULL,   -- received, verified, fulfilled, rejected
    subject_email   TEXT    NOT NULL DEFAULT '',
    subject_name    TEXT    NOT NULL DEFAULT '',
    subject_hash    TEXT    NOT NULL DEFAULT '',  -- keyed hash of the email: survives erasure
    agent_name      TEXT    NOT NULL DEFAULT '',  -- authorised agent, if any
    agent_email     TEXT    NOT NULL DEFAULT '',
    source          TEXT    NOT NULL DEFAULT '',  -- form, api, manual
    details         TEXT    NOT NULL DEFAULT '',
    contact_id      INTEGER NOT NULL DEFAULT 0,
    verify_method   TEXT    NOT NULL DEFAULT '',  -- email, evidence
    verify_token    TEXT    NOT NULL DEFAULT '',  -- SHA-256 of the single-use link token
    verify_expires  INTEGER NOT NULL DEFAULT 0,
    evidence        TEXT    NOT NULL DEFAULT '',
    received_at     INTEGER NOT NULL,
    due_at          INTEGER NOT NULL,
    extended        INTEGER NOT NULL DEFAULT 0,
    verified_at     INTEGER,
    closed_at       INTEGER,
    outcome         TEXT    NOT NULL DEFAULT '',
    created_by      INTEGER NOT NULL DEFAULT 0,
    updated_at      INTEGER NOT NULL,
    version         INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX privacy_requests_due ON privacy_requests (workspace_id, status, due_at);
CREATE INDEX privacy_requests_token ON privacy_requests (verify_token);

CREATE TABLE retention_policies (
    workspace_id INTEGER NOT NULL,
    kind         TEXT    NOT NULL,
    days         INTEGER NOT NULL,   -- 0: keep forever
    updated_by   INTEGER NOT NULL DEFAULT 0,
    updated_at   INTEGER NOT NULL,
    PRIMARY KEY (workspace_id, kind)
);

CREATE TABLE privacy_settings (
    workspace_id INTEGER PRIMARY KEY,
    form_token   TEXT    NOT NULL,
    regime       TEXT    NOT NULL DEFAULT 'gdpr',
    updated_at   INTEGER NOT NULL
);
CREATE UNIQUE INDEX privacy_settings_token ON privacy_settings (form_token);

-- +goose Down
DROP TABLE privacy_settings;
DROP TABLE retention_policies;
DROP TABLE privacy_requests;
DROP TABLE legal_holds;
