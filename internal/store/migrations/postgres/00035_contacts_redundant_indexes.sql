-- Two indexes of contacts that others cover: contacts_created
-- (workspace_id, created_at) is a prefix of contacts_created_id (00014), and
-- contacts_company (workspace_id, company_id) of contacts_company_name
-- (00025, the company page). Every query of live contacts names
-- deleted_at IS NULL, which those partial indexes need; nothing reads
-- trashed contacts by company or creation time. Each index costs every
-- contact write an insertion and a big import a rebuild (SQLite) or a
-- million insertions (PostgreSQL).

-- +goose Up
DROP INDEX contacts_created;
DROP INDEX contacts_company;

-- +goose Down
CREATE INDEX contacts_created ON contacts (workspace_id, created_at);
CREATE INDEX contacts_company ON contacts (workspace_id, company_id);
