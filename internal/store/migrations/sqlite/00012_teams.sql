-- Teams with a manager, and the workspace's record-visibility rule for
-- members and read-only users: own, team or all records.

-- +goose Up
CREATE TABLE teams (
    id           INTEGER PRIMARY KEY,
    workspace_id INTEGER NOT NULL,
    name         TEXT    NOT NULL,
    manager_id   INTEGER NOT NULL DEFAULT 0,
    created_at   INTEGER NOT NULL
);
CREATE UNIQUE INDEX teams_name ON teams (workspace_id, name);

CREATE TABLE team_members (
    workspace_id INTEGER NOT NULL,
    team_id      INTEGER NOT NULL,
    user_id      INTEGER NOT NULL,
    PRIMARY KEY (workspace_id, team_id, user_id)
) WITHOUT ROWID;
CREATE INDEX team_members_user ON team_members (workspace_id, user_id);

ALTER TABLE workspaces ADD COLUMN member_visibility TEXT NOT NULL DEFAULT 'all';

-- +goose Down
ALTER TABLE workspaces DROP COLUMN member_visibility;
DROP TABLE team_members;
DROP TABLE teams;
