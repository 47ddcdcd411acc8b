-- The removals of a deal's line items, found by the deal: a removed line's
-- events belong on its deal's timeline, and its removal event is the one
-- that names the deal (records.itemEvents). Partial, so it holds only
-- those events.

-- +goose Up
CREATE INDEX events_removed_items ON events (workspace_id, ((changes::jsonb -> 'deal_id') ->> 'before'))
    WHERE object_type = 'deal_item' AND action = 'deleted';

-- +goose Down
DROP INDEX events_removed_items;
