-- Imports: a job row per import (status, progress, counters and the
-- checkpoint a resumed run continues from), the per-line report (errors,
-- skips, and in a dry run what would happen), before-images of the records
-- an import updated (for undo), and saved mapping templates. Records an
-- import created carry its id (import_id), so undo finds them without a log
-- of a million rows; external_id keeps the id a record had in the system it
-- came from, a dedupe key.

-- +goose Up
ALTER TABLE contacts ADD COLUMN import_id INTEGER NOT NULL DEFAULT 0;
ALTER TABLE contacts ADD COLUMN external_id TEXT NOT NULL DEFAULT '';
ALTER TABLE companies ADD COLUMN import_id INTEGER NOT NULL DEFAULT 0;
ALTER TABLE companies ADD COLUMN external_id TEXT NOT NULL DEFAULT '';

CREATE TABLE imports (
    id                INTEGER PRIMARY KEY,
    workspace_id      INTEGER NOT NULL,
    kind              TEXT    NOT NULL,              -- contacts, companies, …
    status            TEXT    NOT NULL,              -- queued, running, done, failed, cancelled, undone
    dry_run           INTEGER NOT NULL DEFAULT 0,
    file_name         TEXT    NOT NULL,
    file_path         TEXT    NOT NULL,
    file_size         INTEGER NOT NULL,
    encoding          TEXT    NOT NULL DEFAULT '',
    delimiter         TEXT    NOT NULL DEFAULT '',
    template          TEXT    NOT NULL,              -- the mapping (JSON)
    checkpoint_offset INTEGER NOT NULL DEFAULT 0,    -- byte offset of the next row to read
    checkpoint_line   INTEGER NOT NULL DEFAULT 0,    -- its line number
    rows_done         INTEGER NOT NULL DEFAULT 0,
    created_count     INTEGER NOT NULL DEFAULT 0,
    updated_count     INTEGER NOT NULL DEFAULT 0,
    skipped_count     INTEGER NOT NULL DEFAULT 0,
    error_count       INTEGER NOT NULL DEFAULT 0,
    cancel_requested  INTEGER NOT NULL DEFAULT 0,
    index_progress    TEXT    NOT NULL DEFAULT '{}',  -- search indexing after the last row: last id done per table
    error             TEXT    NOT NULL DEFAULT '',
    created_by        INTEGER NOT NULL,
    created_at        INTEGER NOT NULL,
    updated_at        INTEGER NOT NULL,
    started_at        INTEGER,
    finished_at       INTEGER,
    undo_until        INTEGER,
    undone_at         INTEGER
);
CREATE INDEX imports_workspace ON imports (workspace_id, created_at);
CREATE INDEX imports_status ON imports (status, updated_at);

CREATE TABLE import_issues (
    id           INTEGER PRIMARY KEY,
    workspace_id INTEGER NOT NULL,
    import_id    INTEGER NOT NULL,
    line         INTEGER NOT NULL,
    action       TEXT    NOT NULL,   -- error, warning, skipped, created, updated (the last two in dry runs)
    column_name  TEXT    NOT NULL DEFAULT '',
    value        TEXT    NOT NULL DEFAULT '',
    message      TEXT    NOT NULL
);
CREATE INDEX import_issues_import ON import_issues (workspace_id, import_id, line);

CREATE TABLE import_before (
    workspace_id  INTEGER NOT NULL,
    import_id     INTEGER NOT NULL,
    object_type   TEXT    NOT NULL,
    object_id     INTEGER NOT NULL,
    before        TEXT    NOT NULL,  -- the record's columns before the import touched it (JSON)
    after_version INTEGER NOT NULL,  -- its version after the import; undo leaves it alone if it moved on
    PRIMARY KEY (workspace_id, import_id, object_type, object_id)
);

CREATE TABLE import_templates (
    id           INTEGER PRIMARY KEY,
    workspace_id INTEGER NOT NULL,
    kind         TEXT    NOT NULL,
    name         TEXT    NOT NULL,
    body         TEXT    NOT NULL,
    created_by   INTEGER NOT NULL,
    created_at   INTEGER NOT NULL,
    updated_at   INTEGER NOT NULL
);
CREATE UNIQUE INDEX import_templates_name ON import_templates (workspace_id, kind, name);

-- +goose Down
DROP TABLE import_templates;
DROP TABLE import_before;
DROP TABLE import_issues;
DROP TABLE imports;
ALTER TABLE companies DROP COLUMN external_id;
ALTER TABLE companies DROP COLUMN import_id;
ALTER TABLE contacts DROP COLUMN external_id;
ALTER TABLE contacts DROP COLUMN import_id;
