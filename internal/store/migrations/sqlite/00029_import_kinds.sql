-- Imports of workbooks and vCards, and of deals, products and activities:
-- an import remembers the file's format and the sheet it read; deals,
-- products and activities carry the import that created them (undo finds
-- them by it) and the id they had in the system they came from (a dedupe
-- key, as for contacts and companies).

-- +goose Up
ALTER TABLE imports ADD COLUMN format TEXT NOT NULL DEFAULT 'csv';
ALTER TABLE imports ADD COLUMN sheet TEXT NOT NULL DEFAULT '';
ALTER TABLE deals ADD COLUMN import_id INTEGER NOT NULL DEFAULT 0;
ALTER TABLE deals ADD COLUMN external_id TEXT NOT NULL DEFAULT '';
ALTER TABLE products ADD COLUMN import_id INTEGER NOT NULL DEFAULT 0;
ALTER TABLE activities ADD COLUMN import_id INTEGER NOT NULL DEFAULT 0;
ALTER TABLE activities ADD COLUMN external_id TEXT NOT NULL DEFAULT '';
CREATE INDEX deals_import ON deals (workspace_id, import_id) WHERE import_id <> 0;
CREATE INDEX products_import ON products (workspace_id, import_id) WHERE import_id <> 0;
CREATE INDEX activities_import ON activities (workspace_id, import_id) WHERE import_id <> 0;

-- +goose Down
DROP INDEX activities_import;
DROP INDEX products_import;
DROP INDEX deals_import;
ALTER TABLE activities DROP COLUMN external_id;
ALTER TABLE activities DROP COLUMN import_id;
ALTER TABLE products DROP COLUMN import_id;
ALTER TABLE deals DROP COLUMN external_id;
ALTER TABLE deals DROP COLUMN import_id;
ALTER TABLE imports DROP COLUMN sheet;
ALTER TABLE imports DROP COLUMN format;
