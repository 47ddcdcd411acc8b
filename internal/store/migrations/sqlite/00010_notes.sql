-- Notes on records: Markdown as written, and the sanitised HTML rendered
-- from it (rendered once on write, never from raw HTML). Mentions of
-- teammates are kept in their own table for notifications.

-- +goose Up
CREATE TABLE notes (
    id           INTEGER PRIMARY KEY,
    workspace_id INTEGER NOT NULL,
    object_type  TEXT    NOT NULL,   -- contact, company, deal
    object_id    INTEGER NOT NULL,
    body         TEXT    NOT NULL,   -- Markdown
    html         TEXT    NOT NULL,   -- sanitised rendering of body
    pinned       INTEGER NOT NULL DEFAULT 0,
    author_id    INTEGER NOT NULL,
    created_at   INTEGER NOT NULL,
    updated_at   INTEGER NOT NULL,
    deleted_at   INTEGER,
    version      INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX notes_object ON notes (workspace_id, object_type, object_id, id);

CREATE TABLE note_mentions (
    workspace_id INTEGER NOT NULL,
    note_id      INTEGER NOT NULL,
    user_id      INTEGER NOT NULL,
    PRIMARY KEY (workspace_id, note_id, user_id)
);
CREATE INDEX note_mentions_user ON note_mentions (workspace_id, user_id);

-- +goose Down
DROP TABLE note_mentions;
DROP TABLE notes;
