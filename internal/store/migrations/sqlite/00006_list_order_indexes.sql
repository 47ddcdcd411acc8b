-- Lists show records newest first (ORDER BY id DESC, keyset on id). Without
-- an index that starts with workspace_id and ends with id, every list page
-- sorted the whole workspace. Partial: trashed records are never listed.

-- +goose Up
CREATE INDEX companies_recent ON companies (workspace_id, id) WHERE deleted_at IS NULL;
CREATE INDEX contacts_recent ON contacts (workspace_id, id) WHERE deleted_at IS NULL;
CREATE INDEX deals_recent ON deals (workspace_id, id) WHERE deleted_at IS NULL;

-- +goose Down
DROP INDEX deals_recent;
DROP INDEX contacts_recent;
DROP INDEX companies_recent;
