-- People and companies in full: several emails and phones with labels, tags,
-- a version for optimistic concurrency (If-Match), and custom field
-- definitions. Values of custom fields stay in the records' JSON column.

-- +goose Up
ALTER TABLE contacts ADD COLUMN emails TEXT NOT NULL DEFAULT '[]';   -- [{"email":…,"label":…}], primary first
ALTER TABLE contacts ADD COLUMN phones TEXT NOT NULL DEFAULT '[]';   -- [{"phone":…,"label":…}]
ALTER TABLE contacts ADD COLUMN tags TEXT NOT NULL DEFAULT '[]';
ALTER TABLE contacts ADD COLUMN version INTEGER NOT NULL DEFAULT 1;
ALTER TABLE companies ADD COLUMN tags TEXT NOT NULL DEFAULT '[]';
ALTER TABLE companies ADD COLUMN phone TEXT NOT NULL DEFAULT '';
ALTER TABLE companies ADD COLUMN version INTEGER NOT NULL DEFAULT 1;

CREATE TABLE fields (
    id           INTEGER PRIMARY KEY,
    workspace_id INTEGER NOT NULL,
    object       TEXT    NOT NULL,   -- contact, company, deal, …
    key          TEXT    NOT NULL,   -- JSON key in the record's custom column; never changes
    label        TEXT    NOT NULL,
    type         TEXT    NOT NULL,   -- text, long_text, number, currency, date, datetime, boolean, select, multi_select, url, email, phone, user
    options      TEXT    NOT NULL DEFAULT '[]',
    position     INTEGER NOT NULL DEFAULT 0,
    required     INTEGER NOT NULL DEFAULT 0,
    retired_at   INTEGER,
    created_at   INTEGER NOT NULL,
    updated_at   INTEGER NOT NULL
);
CREATE UNIQUE INDEX fields_key ON fields (workspace_id, object, key);

-- +goose Down
DROP TABLE fields;
