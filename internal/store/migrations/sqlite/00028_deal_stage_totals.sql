-- The board shows, per stage, how many open deals there are and what they
-- are worth. Summing every open deal of a pipeline on each render cost
-- seconds at tens of thousands of deals, so the totals are kept here,
-- per (pipeline, stage, currency), over open deals that are not trashed.
--
-- Triggers keep them, in the same transaction as the deal write: deals are
-- written by many paths (create, edit, move, won/lost/reopen, trash and
-- restore, line items recomputing the value, stage and pipeline deletion
-- moving deals, privacy erasure, the seed's bulk insert), and a path that
-- forgot to adjust the totals would corrupt the board silently. A trigger
-- cannot be forgotten. deals.CheckStageTotals compares them with a fresh
-- aggregate (the tests do, after random writes on both dialects).
--
-- Rows whose count falls to zero stay (readers skip them); they are few:
-- stages × currencies.

-- +goose Up
CREATE TABLE deal_stage_totals (
    workspace_id INTEGER NOT NULL,
    pipeline_id  INTEGER NOT NULL,
    stage_id     INTEGER NOT NULL,
    currency     TEXT    NOT NULL,
    deals        INTEGER NOT NULL DEFAULT 0,
    value        INTEGER NOT NULL DEFAULT 0,  -- minor units
    PRIMARY KEY (workspace_id, pipeline_id, stage_id, currency)
);

INSERT INTO deal_stage_totals (workspace_id, pipeline_id, stage_id, currency, deals, value)
SELECT workspace_id, pipeline_id, stage_id, currency, count(*), sum(value) FROM deals
WHERE status = 'open' AND deleted_at IS NULL
GROUP BY workspace_id, pipeline_id, stage_id, currency;

-- +goose StatementBegin
CREATE TRIGGER deals_totals_insert AFTER INSERT ON deals
WHEN NEW.status = 'open' AND NEW.deleted_at IS NULL
BEGIN
    INSERT INTO deal_stage_totals (workspace_id, pipeline_id, stage_id, currency, deals, value)
    VALUES (NEW.workspace_id, NEW.pipeline_id, NEW.stage_id, NEW.currency, 1, NEW.value)
    ON CONFLICT (workspace_id, pipeline_id, stage_id, currency)
    DO UPDATE SET deals = deals + 1, value = value + excluded.value;
END;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE TRIGGER deals_totals_delete AFTER DELETE ON deals
WHEN OLD.status = 'open' AND OLD.deleted_at IS NULL
BEGIN
    UPDATE deal_stage_totals SET deals = deals - 1, value = value - OLD.value
    WHERE workspace_id = OLD.workspace_id AND pipeline_id = OLD.pipeline_id
      AND stage_id = OLD.stage_id AND currency = OLD.currency;
END;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE TRIGGER deals_totals_update
AFTER UPDATE OF workspace_id, pipeline_id, stage_id, status, value, currency, deleted_at ON deals
WHEN (OLD.status = 'open' AND OLD.deleted_at IS NULL) OR (NEW.status = 'open' AND NEW.deleted_at IS NULL)
BEGIN
    UPDATE deal_stage_totals SET deals = deals - 1, value = value - OLD.value
    WHERE OLD.status = 'open' AND OLD.deleted_at IS NULL
      AND workspace_id = OLD.workspace_id AND pipeline_id = OLD.pipeline_id
      AND stage_id = OLD.stage_id AND currency = OLD.currency;
    INSERT INTO deal_stage_totals (workspace_id, pipeline_id, stage_id, currency, deals, value)
    SELECT NEW.workspace_id, NEW.pipeline_id, NEW.stage_id, NEW.currency, 1, NEW.value
    WHERE NEW.status = 'open' AND NEW.deleted_at IS NULL
    ON CONFLICT (workspace_id, pipeline_id, stage_id, currency)
    DO UPDATE SET deals = deals + 1, value = value + excluded.value;
END;
-- +goose StatementEnd

-- A board column pages through a stage's open deals, latest to enter the
-- stage first: with stage_entered_at in the index a page reads its rows in
-- order instead of sorting the whole stage.
DROP INDEX deals_stage_open;
CREATE INDEX deals_stage_column ON deals (workspace_id, stage_id, status, stage_entered_at, id);

-- +goose Down
DROP INDEX deals_stage_column;
CREATE INDEX deals_stage_open ON deals (workspace_id, stage_id, status, id);
DROP TRIGGER deals_totals_update;
DROP TRIGGER deals_totals_delete;
DROP TRIGGER deals_totals_insert;
DROP TABLE deal_stage_totals;
