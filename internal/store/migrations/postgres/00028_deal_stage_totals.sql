-- The board shows, per stage, how many open deals there are and what they
-- are worth. Summing every open deal of a pipeline on each render cost
-- seconds at tens of thousands of deals, so the totals are kept here,
-- per (pipeline, stage, currency), over open deals that are not trashed.
--
-- A trigger keeps them, in the same transaction as the deal write: deals are
-- written by many paths (create, edit, move, won/lost/reopen, trash and
-- restore, line items recomputing the value, stage and pipeline deletion
-- moving deals, privacy erasure, the seed's COPY), and a path that forgot to
-- adjust the totals would corrupt the board silently. A trigger cannot be
-- forgotten. deals.CheckStageTotals compares them with a fresh aggregate
-- (the tests do, after random writes on both dialects).
--
-- A move touches two rows (the old stage's and the new one's); it locks them
-- in key order so that two opposite moves cannot deadlock.

-- +goose Up
CREATE TABLE deal_stage_totals (
    workspace_id BIGINT NOT NULL,
    pipeline_id  BIGINT NOT NULL,
    stage_id     BIGINT NOT NULL,
    currency     TEXT   NOT NULL,
    deals        BIGINT NOT NULL DEFAULT 0,
    value        BIGINT NOT NULL DEFAULT 0,  -- minor units
    PRIMARY KEY (workspace_id, pipeline_id, stage_id, currency)
);

INSERT INTO deal_stage_totals (workspace_id, pipeline_id, stage_id, currency, deals, value)
SELECT workspace_id, pipeline_id, stage_id, currency, count(*), sum(value) FROM deals
WHERE status = 'open' AND deleted_at IS NULL
GROUP BY workspace_id, pipeline_id, stage_id, currency;

-- +goose StatementBegin
CREATE FUNCTION deal_stage_totals_add(ws BIGINT, pl BIGINT, st BIGINT, cur TEXT, n BIGINT, v BIGINT) RETURNS void
LANGUAGE sql AS $$
    INSERT INTO deal_stage_totals (workspace_id, pipeline_id, stage_id, currency, deals, value)
    VALUES (ws, pl, st, cur, n, v)
    ON CONFLICT (workspace_id, pipeline_id, stage_id, currency)
    DO UPDATE SET deals = deal_stage_totals.deals + EXCLUDED.deals, value = deal_stage_totals.value + EXCLUDED.value;
$$;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE FUNCTION deals_totals_sync() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    was BOOLEAN := false;
    now_open BOOLEAN := false;
BEGIN
    IF TG_OP <> 'INSERT' THEN
        was := OLD.status = 'open' AND OLD.deleted_at IS NULL;
    END IF;
    IF TG_OP <> 'DELETE' THEN
        now_open := NEW.status = 'open' AND NEW.deleted_at IS NULL;
    END IF;
    IF was AND now_open AND (OLD.workspace_id, OLD.pipeline_id, OLD.stage_id, OLD.currency)
                          = (NEW.workspace_id, NEW.pipeline_id, NEW.stage_id, NEW.currency) THEN
        IF NEW.value <> OLD.value THEN
            PERFORM deal_stage_totals_add(NEW.workspace_id, NEW.pipeline_id, NEW.stage_id, NEW.currency, 0, NEW.value - OLD.value);
        END IF;
    ELSIF was AND now_open AND (OLD.workspace_id, OLD.pipeline_id, OLD.stage_id, OLD.currency)
                             > (NEW.workspace_id, NEW.pipeline_id, NEW.stage_id, NEW.currency) THEN
        PERFORM deal_stage_totals_add(NEW.workspace_id, NEW.pipeline_id, NEW.stage_id, NEW.currency, 1, NEW.value);
        PERFORM deal_stage_totals_add(OLD.workspace_id, OLD.pipeline_id, OLD.stage_id, OLD.currency, -1, -OLD.value);
    ELSE
        IF was THEN
            PERFORM deal_stage_totals_add(OLD.workspace_id, OLD.pipeline_id, OLD.stage_id, OLD.currency, -1, -OLD.value);
        END IF;
        IF now_open THEN
            PERFORM deal_stage_totals_add(NEW.workspace_id, NEW.pipeline_id, NEW.stage_id, NEW.currency, 1, NEW.value);
        END IF;
    END IF;
    RETURN NULL;
END;
$$;
-- +goose StatementEnd

CREATE TRIGGER deals_totals AFTER INSERT OR DELETE OR UPDATE OF workspace_id, pipeline_id, stage_id, status, value, currency, deleted_at
ON deals FOR EACH ROW EXECUTE FUNCTION deals_totals_sync();

-- A board column pages through a stage's open deals, latest to enter the
-- stage first: with stage_entered_at in the index a page reads its rows in
-- order instead of sorting the whole stage.
DROP INDEX deals_stage_open;
CREATE INDEX deals_stage_column ON deals (workspace_id, stage_id, status, stage_entered_at, id);

-- +goose Down
DROP INDEX deals_stage_column;
CREATE INDEX deals_stage_open ON deals (workspace_id, stage_id, status, id);
DROP TRIGGER deals_totals ON deals;
DROP FUNCTION deals_totals_sync();
DROP FUNCTION deal_stage_totals_add(BIGINT, BIGINT, BIGINT, TEXT, BIGINT, BIGINT);
DROP TABLE deal_stage_totals;
