-- SQLite's search documents moved to a plain table with a contentless
-- FTS5 index beside it (sqlite/00041); PostgreSQL's search_index was
-- always a plain table with trigram indexes. Nothing to do here: the
-- number keeps both dialects' histories in step.

-- +goose Up
SELECT 1;

-- +goose Down
SELECT 1;
