-- Lists sort by created_at by default with the id as tie-breaker. SQLite's
-- indexes end with the rowid, so (workspace_id, created_at) already serves
-- that order there; PostgreSQL needs the id in the index, or every first
-- page sorts the whole workspace (measured: 72 list pages/s at 10k contacts).

-- +goose Up
CREATE INDEX contacts_created_id ON contacts (workspace_id, created_at, id) WHERE deleted_at IS NULL;
CREATE INDEX companies_created_id ON companies (workspace_id, created_at, id) WHERE deleted_at IS NULL;

-- +goose Down
DROP INDEX companies_created_id;
DROP INDEX contacts_created_id;
