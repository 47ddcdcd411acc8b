-- Global search. One document per searchable record (title: the name;
-- body: emails, phone digits, domain, company, title). PostgreSQL: trigram
-- indexes (pg_trgm) for substrings and typo-tolerant similarity.

-- +goose Up
CREATE EXTENSION IF NOT EXISTS pg_trgm;
CREATE TABLE search_index (
    workspace_id BIGINT NOT NULL,
    object_type  TEXT   NOT NULL,
    object_id    BIGINT NOT NULL,
    title        TEXT   NOT NULL,
    body         TEXT   NOT NULL,
    PRIMARY KEY (workspace_id, object_type, object_id)
);
CREATE INDEX search_index_title ON search_index USING gin (lower(title) gin_trgm_ops);
CREATE INDEX search_index_body ON search_index USING gin (lower(body) gin_trgm_ops);

-- +goose Down
DROP TABLE search_index;
