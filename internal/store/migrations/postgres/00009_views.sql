-- Saved views: a named filter, sort and set of columns over contacts or
-- companies, private to its owner or shared with the workspace.

-- +goose Up
CREATE TABLE views (
    id           BIGINT  PRIMARY KEY,
    workspace_id BIGINT  NOT NULL,
    object       TEXT    NOT NULL,
    name         TEXT    NOT NULL,
    filter       TEXT    NOT NULL DEFAULT '',
    sort         TEXT    NOT NULL DEFAULT '',
    columns      JSONB   NOT NULL DEFAULT '[]',
    owner_id     BIGINT  NOT NULL,
    shared       BOOLEAN NOT NULL DEFAULT false,
    created_at   BIGINT  NOT NULL,
    updated_at   BIGINT  NOT NULL
);
CREATE INDEX views_object ON views (workspace_id, object, name);

-- +goose Down
DROP TABLE views;
