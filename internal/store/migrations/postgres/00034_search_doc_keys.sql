-- SQLite re-keys search documents that imports wrote without the record's
-- id in this version; PostgreSQL's search_index is keyed by the record
-- already. Kept so both dialects share one version sequence.

-- +goose Up
SELECT 1;

-- +goose Down
SELECT 1;
