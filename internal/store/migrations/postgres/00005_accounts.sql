-- Known devices: a browser that completed a sign-in (password and, when on,
-- second factor) gets a long-lived random token; the database keeps only its
-- SHA-256. Sign-in throttling skips the per-account counter for a known
-- device, so someone failing against a victim's email cannot lock the victim
-- out of a browser they already use. No workspace_id: a device belongs to a
-- user, who may work in several workspaces.

-- +goose Up
CREATE TABLE known_devices (
    token_hash   TEXT    PRIMARY KEY,
    user_id      BIGINT  NOT NULL,
    created_at   BIGINT  NOT NULL,
    last_used_at BIGINT  NOT NULL,
    expires_at   BIGINT  NOT NULL
);
CREATE INDEX known_devices_user ON known_devices (user_id);

-- +goose Down
DROP TABLE known_devices;
