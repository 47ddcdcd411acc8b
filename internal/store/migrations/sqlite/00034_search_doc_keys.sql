-- Imports wrote their search documents with an automatic rowid instead of
-- the record's id (00022 keys documents by record id). Such a document could
-- never be replaced or removed by record: an imported contact that was then
-- edited, merged or deleted kept its old document (found by its old name,
-- or after deletion). Re-key them: a record that has its keyed document
-- already keeps that one (the current one); documents of records that no
-- longer exist, or are in the trash, go.

-- +goose Up
CREATE TEMP TABLE search_rekey AS
    SELECT rowid AS old, workspace_id, object_type, object_id, title, body FROM search_index WHERE rowid <> object_id;
DELETE FROM search_index WHERE rowid IN (SELECT old FROM search_rekey);
DELETE FROM search_rekey WHERE old NOT IN (SELECT max(old) FROM search_rekey GROUP BY object_id);
DELETE FROM search_rekey WHERE object_id IN (SELECT rowid FROM search_index);
DELETE FROM search_rekey WHERE object_type = 'contact' AND object_id NOT IN (SELECT id FROM contacts WHERE deleted_at IS NULL);
DELETE FROM search_rekey WHERE object_type = 'company' AND object_id NOT IN (SELECT id FROM companies WHERE deleted_at IS NULL);
INSERT INTO search_index (rowid, workspace_id, object_type, object_id, title, body)
    SELECT object_id, workspace_id, object_type, object_id, title, body FROM search_rekey;
DROP TABLE search_rekey;

-- +goose Down
SELECT 1;
