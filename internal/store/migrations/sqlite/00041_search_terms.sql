-- Search documents in a plain table, their trigrams in a contentless FTS5
-- table beside it (docs/ARCHITECTURE.md, "Search").
--
-- search_index was an FTS5 table that stored each document's text and,
-- for every trigram, the positions it was found at (detail=full): what a
-- phrase query needs. Writing it was the largest part of a big import
-- (about a third of a million-row import). Now:
--
--   * search_index is a plain table keyed by the record's id (object_id,
--     the rowid: ids are unique across every table), with the workspace,
--     type, title and body, as on PostgreSQL;
--   * search_index_fts holds only which documents contain which trigram
--     (content='', detail=none): 300,000 contact documents wrote in 4.3 s
--     instead of 8.3 s, in 48 MB instead of 123 MB (bench/cmd/ftsexp).
--
-- It cannot answer a phrase ("gmail" as one run of letters) or a column
-- filter, so search asks it for the documents holding every trigram of a
-- word and checks the word itself in the document's text (search_has,
-- search_typo: internal/search). Both tables are written together by the
-- search package only, never by a trigger: a trigger's statement would
-- make FTS5 write its pending terms at every row (15.1 s instead of 4.3).

-- +goose Up
CREATE TABLE search_docs (
    object_id    INTEGER PRIMARY KEY,
    workspace_id INTEGER NOT NULL,
    object_type  TEXT NOT NULL,
    title        TEXT NOT NULL,
    body         TEXT NOT NULL
);
INSERT OR REPLACE INTO search_docs (object_id, workspace_id, object_type, title, body)
    SELECT CAST(object_id AS INTEGER), CAST(workspace_id AS INTEGER), object_type, COALESCE(title, ''), COALESCE(body, '')
    FROM search_index ORDER BY rowid;
DROP TABLE search_index;
ALTER TABLE search_docs RENAME TO search_index;
CREATE VIRTUAL TABLE search_index_fts USING fts5(
    title, body,
    content = '', contentless_delete = 1, detail = none,
    tokenize = 'trigram remove_diacritics 1'
);
INSERT INTO search_index_fts (rowid, title, body) SELECT object_id, title, body FROM search_index;

-- +goose Down
SELECT 1;
