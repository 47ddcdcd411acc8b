-- Activities in full: all-day items, a location, reminders with a sent
-- marker, a version for If-Match, contacts taking part (with a role), the
-- in-app notification centre, private calendar feeds, and time zones for
-- users and workspaces. The activities table itself is in 00002.

-- +goose Up
ALTER TABLE activities ADD COLUMN all_day BOOLEAN NOT NULL DEFAULT false;     -- due_at is then 00:00 UTC of the date
ALTER TABLE activities ADD COLUMN location TEXT NOT NULL DEFAULT '';
ALTER TABLE activities ADD COLUMN remind_at BIGINT;                      -- when to remind the owner; NULL: never
ALTER TABLE activities ADD COLUMN reminded_at BIGINT;                    -- set once the reminder went out
ALTER TABLE activities ADD COLUMN updated_by BIGINT NOT NULL DEFAULT 0;
ALTER TABLE activities ADD COLUMN version BIGINT NOT NULL DEFAULT 1;

-- "My day" walks one owner's open activities in due order (keyset on
-- due_at, id); the reminder job finds due reminders across workspaces.
CREATE INDEX activities_open_due ON activities (workspace_id, owner_id, due_at, id) WHERE done_at IS NULL AND deleted_at IS NULL;
CREATE INDEX activities_remind ON activities (remind_at) WHERE reminded_at IS NULL AND remind_at IS NOT NULL AND deleted_at IS NULL;
CREATE INDEX activities_company ON activities (workspace_id, company_id);
CREATE INDEX activities_deal_open ON activities (workspace_id, deal_id, due_at) WHERE done_at IS NULL AND deleted_at IS NULL;

-- Contacts taking part in an activity (a meeting's attendees); the
-- activity's contact_id is the first of them.
CREATE TABLE activity_contacts (
    workspace_id BIGINT NOT NULL,
    activity_id  BIGINT NOT NULL,
    contact_id   BIGINT NOT NULL,
    role         TEXT    NOT NULL DEFAULT 'required',   -- required, optional
    PRIMARY KEY (workspace_id, activity_id, contact_id)
);
CREATE INDEX activity_contacts_contact ON activity_contacts (workspace_id, contact_id);

-- The in-app notification centre. dedupe_key makes a notification happen
-- once per reason ("reminder:<activity>:<remind_at>").
CREATE TABLE notifications (
    id           BIGINT PRIMARY KEY,
    workspace_id BIGINT NOT NULL,
    user_id      BIGINT NOT NULL,
    kind         TEXT    NOT NULL,   -- reminder
    title        TEXT    NOT NULL,
    body         TEXT    NOT NULL DEFAULT '',
    url          TEXT    NOT NULL DEFAULT '',
    dedupe_key   TEXT    NOT NULL,
    created_at   BIGINT NOT NULL,
    read_at      BIGINT
);
CREATE UNIQUE INDEX notifications_once ON notifications (workspace_id, user_id, dedupe_key);
CREATE INDEX notifications_user ON notifications (workspace_id, user_id, id);
CREATE INDEX notifications_unread ON notifications (workspace_id, user_id) WHERE read_at IS NULL;

-- A user's private iCalendar feed in one workspace: only the SHA-256 of the
-- secret token is kept. Regenerating replaces the row; revoking deletes it.
CREATE TABLE calendar_feeds (
    workspace_id BIGINT NOT NULL,
    user_id      BIGINT NOT NULL,
    token_hash   TEXT    NOT NULL,
    created_at   BIGINT NOT NULL,
    last_used_at BIGINT,
    PRIMARY KEY (workspace_id, user_id)
);
CREATE UNIQUE INDEX calendar_feeds_token ON calendar_feeds (token_hash);

-- One optional text attachment on system mail (an .ics invitation).
ALTER TABLE outbox ADD COLUMN attach_name TEXT NOT NULL DEFAULT '';
ALTER TABLE outbox ADD COLUMN attach_type TEXT NOT NULL DEFAULT '';
ALTER TABLE outbox ADD COLUMN attach_body TEXT NOT NULL DEFAULT '';

-- IANA zone names ("Europe/Berlin"); '' on a user means the workspace's.
ALTER TABLE users ADD COLUMN time_zone TEXT NOT NULL DEFAULT '';
ALTER TABLE workspaces ADD COLUMN time_zone TEXT NOT NULL DEFAULT 'UTC';

-- +goose Down
ALTER TABLE workspaces DROP COLUMN time_zone;
ALTER TABLE users DROP COLUMN time_zone;
ALTER TABLE outbox DROP COLUMN attach_body;
ALTER TABLE outbox DROP COLUMN attach_type;
ALTER TABLE outbox DROP COLUMN attach_name;
DROP TABLE calendar_feeds;
DROP TABLE notifications;
DROP TABLE activity_contacts;
DROP INDEX activities_deal_open;
DROP INDEX activities_company;
DROP INDEX activities_remind;
DROP INDEX activities_open_due;
ALTER TABLE activities DROP COLUMN version;
ALTER TABLE activities DROP COLUMN updated_by;
ALTER TABLE activities DROP COLUMN reminded_at;
ALTER TABLE activities DROP COLUMN remind_at;
ALTER TABLE activities DROP COLUMN location;
ALTER TABLE activities DROP COLUMN all_day;
