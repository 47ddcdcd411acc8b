-- Teams with a manager, and the workspace's record-visibility rule for
-- members and read-only users: own, team or all records.

-- +goose Up
CREATE TABLE teams (
    id           BIGINT PRIMARY KEY,
    workspace_id BIGINT NOT NULL,
    name         TEXT    NOT NULL,
    manager_id   BIGINT NOT NULL DEFAULT 0,
    created_at   BIGINT NOT NULL
);
CREATE UNIQUE INDEX teams_name ON teams (workspace_id, name);

CREATE TABLE team_members (
    workspace_id BIGINT NOT NULL,
    team_id      BIGINT NOT NULL,
    user_id      BIGINT NOT NULL,
    PRIMARY KEY (workspace_id, team_id, user_id)
);
CREATE INDEX team_members_user ON team_members (workspace_id, user_id);

ALTER TABLE workspaces ADD COLUMN member_visibility TEXT NOT NULL DEFAULT 'all';

-- +goose Down
ALTER TABLE workspaces DROP COLUMN member_visibility;
DROP TABLE team_members;
DROP TABLE teams;
