-- Files attached to records. The bytes live on disk under the data
-- directory (files/<workspace>/<key>); the row says what they are.

-- +goose Up
CREATE TABLE files (
    id           INTEGER PRIMARY KEY,
    workspace_id INTEGER NOT NULL,
    object_type  TEXT    NOT NULL,
    object_id    INTEGER NOT NULL,
    name         TEXT    NOT NULL,
    content_type TEXT    NOT NULL,
    size         INTEGER NOT NULL,
    sha256       TEXT    NOT NULL,
    storage_key  TEXT    NOT NULL,
    uploaded_by  INTEGER NOT NULL,
    created_at   INTEGER NOT NULL,
    deleted_at   INTEGER
);
CREATE INDEX files_object ON files (workspace_id, object_type, object_id, id);

-- +goose Down
DROP TABLE files;
