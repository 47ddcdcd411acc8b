-- Search documents keyed by the record's id: the FTS5 rowid becomes the
-- object's id (ids are unique across all tables), so replacing or removing a
-- record's document is a rowid lookup instead of a scan of every document
-- (FTS5 cannot index its UNINDEXED columns). Existing documents are copied
-- over with their new keys.

-- +goose Up
CREATE VIRTUAL TABLE search_index_keyed USING fts5(
    workspace_id UNINDEXED, object_type UNINDEXED, object_id UNINDEXED, title, body,
    tokenize = 'trigram remove_diacritics 1'
);
INSERT INTO search_index_keyed (rowid, workspace_id, object_type, object_id, title, body)
    SELECT object_id, workspace_id, object_type, object_id, title, body FROM search_index;
DROP TABLE search_index;
ALTER TABLE search_index_keyed RENAME TO search_index;

-- +goose Down
SELECT 1;
