-- Lists sorted by "last changed" (-updated_at) walked the whole workspace and
-- sorted it: an index ending in the id serves the sort and the keyset cursor.

-- +goose Up
CREATE INDEX contacts_updated_id ON contacts (workspace_id, updated_at, id) WHERE deleted_at IS NULL;
CREATE INDEX companies_updated_id ON companies (workspace_id, updated_at, id) WHERE deleted_at IS NULL;

-- +goose Down
DROP INDEX companies_updated_id;
DROP INDEX contacts_updated_id;
