-- People and companies in full: several emails and phones with labels, tags,
-- a version for optimistic concurrency (If-Match), and custom field
-- definitions. Values of custom fields stay in the records' JSON column.

-- +goose Up
ALTER TABLE contacts ADD COLUMN emails JSONB NOT NULL DEFAULT '[]';
ALTER TABLE contacts ADD COLUMN phones JSONB NOT NULL DEFAULT '[]';
ALTER TABLE contacts ADD COLUMN tags JSONB NOT NULL DEFAULT '[]';
ALTER TABLE contacts ADD COLUMN version BIGINT NOT NULL DEFAULT 1;
ALTER TABLE companies ADD COLUMN tags JSONB NOT NULL DEFAULT '[]';
ALTER TABLE companies ADD COLUMN phone TEXT NOT NULL DEFAULT '';
ALTER TABLE companies ADD COLUMN version BIGINT NOT NULL DEFAULT 1;

CREATE TABLE fields (
    id           BIGINT  PRIMARY KEY,
    workspace_id BIGINT  NOT NULL,
    object       TEXT    NOT NULL,
    key          TEXT    NOT NULL,
    label        TEXT    NOT NULL,
    type         TEXT    NOT NULL,
    options      JSONB   NOT NULL DEFAULT '[]',
    position     BIGINT  NOT NULL DEFAULT 0,
    required     BOOLEAN NOT NULL DEFAULT false,
    retired_at   BIGINT,
    created_at   BIGINT  NOT NULL,
    updated_at   BIGINT  NOT NULL
);
CREATE UNIQUE INDEX fields_key ON fields (workspace_id, object, key);

-- +goose Down
DROP TABLE fields;
