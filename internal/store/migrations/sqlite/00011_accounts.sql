-- Accounts and access: password resets, invitations, sign-in throttling,
-- second factors (TOTP with recovery codes), sign-in challenges awaiting a
-- second factor, and deactivated memberships. Tokens are stored as SHA-256.

-- +goose Up
CREATE TABLE password_resets (
    token_hash TEXT    PRIMARY KEY,
    user_id    INTEGER NOT NULL,
    created_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL
) WITHOUT ROWID;
CREATE INDEX password_resets_user ON password_resets (user_id);

CREATE TABLE invitations (
    id           INTEGER PRIMARY KEY,
    workspace_id INTEGER NOT NULL,
    email        TEXT    NOT NULL,
    role         TEXT    NOT NULL,
    token_hash   TEXT    NOT NULL,
    invited_by   INTEGER NOT NULL,
    created_at   INTEGER NOT NULL,
    expires_at   INTEGER NOT NULL,
    accepted_at  INTEGER,
    revoked_at   INTEGER
);
CREATE UNIQUE INDEX invitations_token ON invitations (token_hash);
CREATE INDEX invitations_workspace ON invitations (workspace_id, email);

-- One row per throttled key ("email:…" or "ip:…").
CREATE TABLE signin_throttle (
    key          TEXT    PRIMARY KEY,
    failures     INTEGER NOT NULL,
    last_at      INTEGER NOT NULL,
    locked_until INTEGER NOT NULL
) WITHOUT ROWID;

ALTER TABLE users ADD COLUMN totp_secret TEXT NOT NULL DEFAULT '';      -- sealed with the instance key
ALTER TABLE users ADD COLUMN totp_enabled_at INTEGER;
ALTER TABLE users ADD COLUMN totp_last_step INTEGER NOT NULL DEFAULT 0;  -- replay protection
CREATE TABLE recovery_codes (
    user_id   INTEGER NOT NULL,
    code_hash TEXT    NOT NULL,
    used_at   INTEGER,
    PRIMARY KEY (user_id, code_hash)
) WITHOUT ROWID;

-- A password was right; the second factor is still to come.
CREATE TABLE signin_challenges (
    token_hash   TEXT    PRIMARY KEY,
    user_id      INTEGER NOT NULL,
    workspace    INTEGER NOT NULL,
    created_at   INTEGER NOT NULL,
    expires_at   INTEGER NOT NULL
) WITHOUT ROWID;

ALTER TABLE workspaces ADD COLUMN require_2fa INTEGER NOT NULL DEFAULT 0;
ALTER TABLE memberships ADD COLUMN deactivated_at INTEGER;

-- +goose Down
ALTER TABLE memberships DROP COLUMN deactivated_at;
ALTER TABLE workspaces DROP COLUMN require_2fa;
DROP TABLE signin_challenges;
DROP TABLE recovery_codes;
ALTER TABLE users DROP COLUMN totp_last_step;
ALTER TABLE users DROP COLUMN totp_enabled_at;
ALTER TABLE users DROP COLUMN totp_secret;
DROP TABLE signin_throttle;
DROP TABLE invitations;
DROP TABLE password_resets;
