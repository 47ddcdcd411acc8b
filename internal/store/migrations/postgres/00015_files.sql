-- Files attached to records. The bytes live on disk under the data
-- directory (files/<workspace>/<key>); the row says what they are.

-- +goose Up
CREATE TABLE files (
    id           BIGINT PRIMARY KEY,
    workspace_id BIGINT NOT NULL,
    object_type  TEXT    NOT NULL,
    object_id    BIGINT NOT NULL,
    name         TEXT    NOT NULL,
    content_type TEXT    NOT NULL,
    size         BIGINT NOT NULL,
    sha256       TEXT    NOT NULL,
    storage_key  TEXT    NOT NULL,
    uploaded_by  BIGINT NOT NULL,
    created_at   BIGINT NOT NULL,
    deleted_at   BIGINT
);
CREATE INDEX files_object ON files (workspace_id, object_type, object_id, id);

-- +goose Down
DROP TABLE files;
