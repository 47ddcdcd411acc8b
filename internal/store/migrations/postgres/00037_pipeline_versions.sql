-- A version on pipelines, stages and lost reasons, for If-Match on their
-- API PATCHes as deals, contacts and products have: 1 to start, one more
-- on every change of the row (deals.UpdatePipeline and its kin).

-- +goose Up
ALTER TABLE pipelines ADD COLUMN version BIGINT NOT NULL DEFAULT 1;
ALTER TABLE stages ADD COLUMN version BIGINT NOT NULL DEFAULT 1;
ALTER TABLE lost_reasons ADD COLUMN version BIGINT NOT NULL DEFAULT 1;

-- +goose Down
ALTER TABLE lost_reasons DROP COLUMN version;
ALTER TABLE stages DROP COLUMN version;
ALTER TABLE pipelines DROP COLUMN version;
