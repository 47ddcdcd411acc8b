-- A company's people, by name: the record page's "People" panel filters on
-- the company and sorts by name. With only (workspace_id, company_id) and
-- (workspace_id, last_name, first_name), SQLite walked the whole name index
-- of the workspace (16 ms a company page at 10,000 contacts).

-- +goose Up
CREATE INDEX contacts_company_name ON contacts (workspace_id, company_id, last_name, first_name, id) WHERE deleted_at IS NULL;

-- +goose Down
DROP INDEX contacts_company_name;
