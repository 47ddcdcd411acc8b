-- Deals in full: source, priority, tags and a version for If-Match; other
-- contacts of a deal with their roles; the stage history (when a deal
-- entered and left each stage, for reports and the deal page); and the lost
-- reasons an admin keeps.

-- +goose Up
ALTER TABLE deals ADD COLUMN source TEXT NOT NULL DEFAULT '';
ALTER TABLE deals ADD COLUMN priority TEXT NOT NULL DEFAULT '';   -- '', low, medium, high
ALTER TABLE deals ADD COLUMN tags JSONB NOT NULL DEFAULT '[]';
ALTER TABLE deals ADD COLUMN version BIGINT NOT NULL DEFAULT 1;

-- A board column: open deals of one stage, newest first.
CREATE INDEX deals_stage_open ON deals (workspace_id, stage_id, status, id);

CREATE TABLE deal_contacts (
    workspace_id BIGINT NOT NULL,
    deal_id      BIGINT NOT NULL,
    contact_id   BIGINT NOT NULL,
    role         TEXT    NOT NULL DEFAULT '',
    position     BIGINT NOT NULL DEFAULT 0,
    created_at   BIGINT NOT NULL,
    PRIMARY KEY (workspace_id, deal_id, contact_id)
);
CREATE INDEX deal_contacts_contact ON deal_contacts (workspace_id, contact_id);

CREATE TABLE deal_stage_history (
    id           BIGINT PRIMARY KEY,
    workspace_id BIGINT NOT NULL,
    deal_id      BIGINT NOT NULL,
    pipeline_id  BIGINT NOT NULL,
    stage_id     BIGINT NOT NULL,
    stage_name   TEXT    NOT NULL,   -- as it was called then; stages are renamed and removed
    entered_at   BIGINT NOT NULL,
    left_at      BIGINT,                 -- NULL while the deal is in the stage
    actor_id     BIGINT NOT NULL DEFAULT 0
);
CREATE INDEX deal_stage_history_deal ON deal_stage_history (workspace_id, deal_id, entered_at);
CREATE INDEX deal_stage_history_stage ON deal_stage_history (workspace_id, stage_id, entered_at);

CREATE TABLE lost_reasons (
    id           BIGINT PRIMARY KEY,
    workspace_id BIGINT NOT NULL,
    name         TEXT    NOT NULL,
    position     BIGINT NOT NULL DEFAULT 0,
    created_at   BIGINT NOT NULL,
    updated_at   BIGINT NOT NULL
);
CREATE UNIQUE INDEX lost_reasons_name ON lost_reasons (workspace_id, name);

-- New workspaces get a starting list (account.CreateWorkspace); for older
-- ones an empty list means the reason is free text until an admin adds some.

-- Every deal that already exists starts its history in its current stage.
INSERT INTO deal_stage_history (id, workspace_id, deal_id, pipeline_id, stage_id, stage_name, entered_at, left_at, actor_id)
SELECT d.id, d.workspace_id, d.id, d.pipeline_id, d.stage_id, COALESCE(s.name, ''), d.stage_entered_at, d.closed_at, 0
FROM deals d LEFT JOIN stages s ON s.workspace_id = d.workspace_id AND s.id = d.stage_id;

-- +goose Down
DROP TABLE lost_reasons;
DROP TABLE deal_stage_history;
DROP TABLE deal_contacts;
DROP INDEX deals_stage_open;
ALTER TABLE deals DROP COLUMN version;
ALTER TABLE deals DROP COLUMN tags;
ALTER TABLE deals DROP COLUMN priority;
ALTER TABLE deals DROP COLUMN source;
