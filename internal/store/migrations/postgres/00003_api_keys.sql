-- API keys: shown once at creation, stored only as a SHA-256 hash. The key
-- text carries its workspace id so that every lookup is workspace-scoped.

-- +goose Up
CREATE TABLE api_keys (
    id           BIGINT PRIMARY KEY,
    workspace_id BIGINT NOT NULL,
    user_id      BIGINT NOT NULL,
    name         TEXT    NOT NULL,
    prefix       TEXT    NOT NULL,   -- first characters, to recognise a key in lists
    key_hash     TEXT    NOT NULL,
    role         TEXT    NOT NULL,
    expires_at   BIGINT,
    last_used_at BIGINT,
    created_at   BIGINT NOT NULL,
    revoked_at   BIGINT
);
CREATE UNIQUE INDEX api_keys_hash ON api_keys (workspace_id, key_hash);
CREATE INDEX api_keys_user ON api_keys (workspace_id, user_id);

-- +goose Down
DROP TABLE api_keys;
