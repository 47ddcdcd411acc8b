-- The staging table of contact imports. An import writes the contacts it
-- creates here, batch by batch with its checkpoints (no secondary indexes:
-- appends in id order), and moves them into contacts in one set-based
-- statement after the last row (on SQLite, a large import into a small table
-- drops and rebuilds the contacts indexes around that statement: one sort per
-- index instead of ten random B-tree inserts per row). Rows live here only while their
-- import runs. JSON columns are text in both dialects.

-- +goose Up
CREATE TABLE import_stage_contacts (
    id           INTEGER PRIMARY KEY,
    workspace_id INTEGER NOT NULL,
    import_id    INTEGER NOT NULL,
    first_name   TEXT    NOT NULL,
    last_name    TEXT    NOT NULL,
    email        TEXT    NOT NULL,
    emails       TEXT    NOT NULL,
    phone        TEXT    NOT NULL,
    phone_digits TEXT    NOT NULL,
    phones       TEXT    NOT NULL,
    title        TEXT    NOT NULL,
    company_id   INTEGER NOT NULL,
    owner_id     INTEGER NOT NULL,
    lifecycle    TEXT    NOT NULL,
    source       TEXT    NOT NULL,
    tags         TEXT    NOT NULL,
    custom       TEXT    NOT NULL,
    external_id  TEXT    NOT NULL,
    created_by   INTEGER NOT NULL,
    updated_by   INTEGER NOT NULL,
    created_at   INTEGER NOT NULL,
    updated_at   INTEGER NOT NULL,
    version      INTEGER NOT NULL
);

-- +goose Down
DROP TABLE import_stage_contacts;
