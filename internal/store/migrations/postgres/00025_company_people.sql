-- A company's people, by name: the record page's "People" panel filters on
-- the company and sorts by name; one index serves both.

-- +goose Up
CREATE INDEX contacts_company_name ON contacts (workspace_id, company_id, last_name, first_name, id) WHERE deleted_at IS NULL;

-- +goose Down
DROP INDEX contacts_company_name;
