-- SQLite re-keys its FTS5 search documents by record id in this version;
-- PostgreSQL's search_index already has a primary key on the record. Kept so
-- both dialects share one version sequence.

-- +goose Up
SELECT 1;

-- +goose Down
SELECT 1;
