-- Foundation: workspaces, users, sessions, node leases and the event stream.
-- Times are INTEGER Unix microseconds (store.Micros). IDs come from Go.

-- +goose Up
CREATE TABLE nodes (
    id         INTEGER PRIMARY KEY,
    holder     TEXT    NOT NULL,
    expires_at INTEGER NOT NULL
);

CREATE TABLE workspaces (
    id         INTEGER PRIMARY KEY,
    name       TEXT    NOT NULL,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
);

CREATE TABLE users (
    id            INTEGER PRIMARY KEY,
    email         TEXT    NOT NULL,   -- stored lower-cased
    name          TEXT    NOT NULL,
    password_hash TEXT    NOT NULL DEFAULT '',
    created_at    INTEGER NOT NULL,
    updated_at    INTEGER NOT NULL
);
CREATE UNIQUE INDEX users_email ON users (email);

CREATE TABLE memberships (
    workspace_id INTEGER NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
    user_id      INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    role         TEXT    NOT NULL,
    created_at   INTEGER NOT NULL,
    PRIMARY KEY (workspace_id, user_id)
) WITHOUT ROWID;
CREATE INDEX memberships_user ON memberships (user_id);

-- A session belongs to a user, who may switch workspaces within it; hence
-- current_workspace rather than workspace_id.
CREATE TABLE sessions (
    token_hash        TEXT    PRIMARY KEY,
    user_id           INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    current_workspace INTEGER NOT NULL,
    created_at        INTEGER NOT NULL,
    last_seen_at      INTEGER NOT NULL,
    expires_at        INTEGER NOT NULL,
    ip                TEXT    NOT NULL DEFAULT '',
    user_agent        TEXT    NOT NULL DEFAULT ''
) WITHOUT ROWID;
CREATE INDEX sessions_user ON sessions (user_id);

CREATE TABLE setup_tokens (
    token_hash TEXT    PRIMARY KEY,
    created_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL
) WITHOUT ROWID;

CREATE TABLE events (
    id           INTEGER PRIMARY KEY,
    workspace_id INTEGER NOT NULL,
    at           INTEGER NOT NULL,
    actor_type   TEXT    NOT NULL,
    actor_id     INTEGER NOT NULL,
    object_type  TEXT    NOT NULL,
    object_id    INTEGER NOT NULL,
    action       TEXT    NOT NULL,
    changes      TEXT    NOT NULL,
    request_id   TEXT    NOT NULL DEFAULT ''
);
CREATE INDEX events_object ON events (workspace_id, object_type, object_id, id);
CREATE INDEX events_workspace ON events (workspace_id, id);

-- +goose Down
DROP TABLE events;
DROP TABLE setup_tokens;
DROP TABLE sessions;
DROP TABLE memberships;
DROP TABLE users;
DROP TABLE workspaces;
DROP TABLE nodes;
