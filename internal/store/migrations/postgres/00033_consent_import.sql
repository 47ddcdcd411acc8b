-- Consent entries an import recorded carry its id (import_id), so undoing
-- the import finds them by an index rather than by reading the evidence
-- text. Undo appends an entry of status "reverted" with the same import_id
-- for each purpose it took back (see internal/consent/revert.go).

-- +goose Up
ALTER TABLE consent_records ADD COLUMN import_id BIGINT NOT NULL DEFAULT 0;
CREATE INDEX consent_records_import ON consent_records (workspace_id, import_id, id) WHERE import_id <> 0;

-- +goose Down
DROP INDEX consent_records_import;
ALTER TABLE consent_records DROP COLUMN import_id;
