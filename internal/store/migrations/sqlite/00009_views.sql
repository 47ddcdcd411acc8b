-- Saved views: a named filter, sort and set of columns over contacts or
-- companies, private to its owner or shared with the workspace.

-- +goose Up
CREATE TABLE views (
    id           INTEGER PRIMARY KEY,
    workspace_id INTEGER NOT NULL,
    object       TEXT    NOT NULL,   -- contact, company
    name         TEXT    NOT NULL,
    filter       TEXT    NOT NULL DEFAULT '',
    sort         TEXT    NOT NULL DEFAULT '',
    columns      TEXT    NOT NULL DEFAULT '[]',
    owner_id     INTEGER NOT NULL,
    shared       INTEGER NOT NULL DEFAULT 0,
    created_at   INTEGER NOT NULL,
    updated_at   INTEGER NOT NULL
);
CREATE INDEX views_object ON views (workspace_id, object, name);

-- +goose Down
DROP TABLE views;
