-- Rate limits of the public pages (privacy-request form, preference
-- centre), kept in the database so they hold across restarts and across
-- several processes. One row per limited thing, client network and fixed
-- window; the key is a keyed hash of the network, never the address. Rows
-- expire after two windows and the hourly purge job deletes them.

-- +goose Up
CREATE TABLE rate_limits (
    bucket       TEXT    NOT NULL,
    key          TEXT    NOT NULL,
    window_start BIGINT  NOT NULL,
    hits         INTEGER NOT NULL,
    expires_at   BIGINT  NOT NULL,
    PRIMARY KEY (bucket, key, window_start)
);
CREATE INDEX rate_limits_expires ON rate_limits (expires_at);

-- +goose Down
DROP TABLE rate_limits;
