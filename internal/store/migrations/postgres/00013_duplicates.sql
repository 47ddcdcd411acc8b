-- Duplicate detection: the primary phone's digits, indexed, so "same phone"
-- finds matches whatever the formatting; and the contact a merged one went
-- into, kept on the trashed record for the timeline and for undo.

-- +goose Up
ALTER TABLE contacts ADD COLUMN phone_digits TEXT NOT NULL DEFAULT '';
ALTER TABLE contacts ADD COLUMN merged_into BIGINT NOT NULL DEFAULT 0;
CREATE INDEX contacts_phone_digits ON contacts (workspace_id, phone_digits);

-- +goose Down
DROP INDEX contacts_phone_digits;
ALTER TABLE contacts DROP COLUMN merged_into;
ALTER TABLE contacts DROP COLUMN phone_digits;
