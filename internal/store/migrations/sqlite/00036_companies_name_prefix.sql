-- The company picker finds companies by the start of their name, in any
-- case (records.PickCompanies): with the name under NOCASE, SQLite turns
-- `name LIKE 'ab%'` into a range of this index instead of reading every
-- company's name (50-90 ms at 100,000 companies, under 1 ms this way).
-- Its statistics come at once: without them the planner took it, covering
-- id and name, for the newest companies too, and sorted them all (34 ms).

-- +goose Up
CREATE INDEX companies_name_prefix ON companies (workspace_id, name COLLATE NOCASE) WHERE deleted_at IS NULL;
PRAGMA analysis_limit = 1000;
ANALYZE companies;

-- +goose Down
DROP INDEX companies_name_prefix;
