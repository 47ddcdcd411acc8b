-- "My contacts, newest first" (owner = me(), the default sort) found the
-- owner's contacts by (workspace_id, owner_id) and sorted all of them for
-- every page: 20,000 rows for one owner of a million contacts. Ending the
-- owner index in the sort column and the id serves the sort and the keyset
-- cursor, and still serves every lookup by owner.

-- +goose Up
CREATE INDEX contacts_owner_created ON contacts (workspace_id, owner_id, created_at, id);
DROP INDEX contacts_owner;

-- +goose Down
CREATE INDEX contacts_owner ON contacts (workspace_id, owner_id);
DROP INDEX contacts_owner_created;
