-- The company picker finds companies by the start of their name, in any
-- case (records.PickCompanies): `lower(name) LIKE lower('ab%')` is a range
-- of this index (text_pattern_ops compares bytes, which LIKE prefixes
-- need under any collation).

-- +goose Up
CREATE INDEX companies_name_prefix ON companies (workspace_id, lower(name) text_pattern_ops) WHERE deleted_at IS NULL;

-- +goose Down
DROP INDEX companies_name_prefix;
