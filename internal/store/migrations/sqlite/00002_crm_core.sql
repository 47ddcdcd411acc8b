-- The core records of the CRM: companies, contacts, pipelines with stages,
-- deals and activities. Later migrations add columns and side tables; the
-- capability issues own the rules. Custom field values live in one JSON
-- column per record (custom).

-- +goose Up
CREATE TABLE companies (
    id           INTEGER PRIMARY KEY,
    workspace_id INTEGER NOT NULL,
    name         TEXT    NOT NULL,
    domain       TEXT    NOT NULL DEFAULT '',
    industry     TEXT    NOT NULL DEFAULT '',
    size         INTEGER NOT NULL DEFAULT 0,
    owner_id     INTEGER NOT NULL DEFAULT 0,
    parent_id    INTEGER NOT NULL DEFAULT 0,
    custom       TEXT    NOT NULL DEFAULT '{}',
    created_by   INTEGER NOT NULL DEFAULT 0,
    updated_by   INTEGER NOT NULL DEFAULT 0,
    created_at   INTEGER NOT NULL,
    updated_at   INTEGER NOT NULL,
    deleted_at   INTEGER
);
CREATE INDEX companies_name ON companies (workspace_id, name);
CREATE INDEX companies_domain ON companies (workspace_id, domain);
CREATE INDEX companies_owner ON companies (workspace_id, owner_id);

CREATE TABLE contacts (
    id           INTEGER PRIMARY KEY,
    workspace_id INTEGER NOT NULL,
    first_name   TEXT    NOT NULL DEFAULT '',
    last_name    TEXT    NOT NULL DEFAULT '',
    email        TEXT    NOT NULL DEFAULT '',
    phone        TEXT    NOT NULL DEFAULT '',
    title        TEXT    NOT NULL DEFAULT '',
    company_id   INTEGER NOT NULL DEFAULT 0,
    owner_id     INTEGER NOT NULL DEFAULT 0,
    lifecycle    TEXT    NOT NULL DEFAULT 'lead',
    source       TEXT    NOT NULL DEFAULT '',
    custom       TEXT    NOT NULL DEFAULT '{}',
    created_by   INTEGER NOT NULL DEFAULT 0,
    updated_by   INTEGER NOT NULL DEFAULT 0,
    created_at   INTEGER NOT NULL,
    updated_at   INTEGER NOT NULL,
    deleted_at   INTEGER
);
CREATE INDEX contacts_email ON contacts (workspace_id, email);
CREATE INDEX contacts_name ON contacts (workspace_id, last_name, first_name);
CREATE INDEX contacts_company ON contacts (workspace_id, company_id);
CREATE INDEX contacts_owner ON contacts (workspace_id, owner_id);
CREATE INDEX contacts_created ON contacts (workspace_id, created_at);

CREATE TABLE pipelines (
    id           INTEGER PRIMARY KEY,
    workspace_id INTEGER NOT NULL,
    name         TEXT    NOT NULL,
    position     INTEGER NOT NULL DEFAULT 0,
    created_at   INTEGER NOT NULL,
    updated_at   INTEGER NOT NULL
);
CREATE INDEX pipelines_workspace ON pipelines (workspace_id, position);

CREATE TABLE stages (
    id           INTEGER PRIMARY KEY,
    workspace_id INTEGER NOT NULL,
    pipeline_id  INTEGER NOT NULL REFERENCES pipelines (id) ON DELETE CASCADE,
    name         TEXT    NOT NULL,
    position     INTEGER NOT NULL DEFAULT 0,
    probability  INTEGER NOT NULL DEFAULT 0,  -- percent, 0..100
    rot_days     INTEGER NOT NULL DEFAULT 0,  -- 0: never rots
    created_at   INTEGER NOT NULL,
    updated_at   INTEGER NOT NULL
);
CREATE INDEX stages_pipeline ON stages (workspace_id, pipeline_id, position);

CREATE TABLE deals (
    id               INTEGER PRIMARY KEY,
    workspace_id     INTEGER NOT NULL,
    title            TEXT    NOT NULL,
    value            INTEGER NOT NULL DEFAULT 0,   -- minor units of currency
    currency         TEXT    NOT NULL DEFAULT 'USD',
    pipeline_id      INTEGER NOT NULL,
    stage_id         INTEGER NOT NULL,
    status           TEXT    NOT NULL DEFAULT 'open', -- open, won, lost
    lost_reason      TEXT    NOT NULL DEFAULT '',
    expected_close   TEXT    NOT NULL DEFAULT '',     -- YYYY-MM-DD
    owner_id         INTEGER NOT NULL DEFAULT 0,
    contact_id       INTEGER NOT NULL DEFAULT 0,
    company_id       INTEGER NOT NULL DEFAULT 0,
    stage_entered_at INTEGER NOT NULL,
    closed_at        INTEGER,
    custom           TEXT    NOT NULL DEFAULT '{}',
    created_by       INTEGER NOT NULL DEFAULT 0,
    updated_by       INTEGER NOT NULL DEFAULT 0,
    created_at       INTEGER NOT NULL,
    updated_at       INTEGER NOT NULL,
    deleted_at       INTEGER
);
CREATE INDEX deals_board ON deals (workspace_id, pipeline_id, status, stage_id);
CREATE INDEX deals_owner ON deals (workspace_id, owner_id);
CREATE INDEX deals_company ON deals (workspace_id, company_id);
CREATE INDEX deals_contact ON deals (workspace_id, contact_id);

CREATE TABLE activities (
    id           INTEGER PRIMARY KEY,
    workspace_id INTEGER NOT NULL,
    type         TEXT    NOT NULL,   -- task, call, meeting, deadline, email
    title        TEXT    NOT NULL,
    due_at       INTEGER,
    duration_min INTEGER NOT NULL DEFAULT 0,
    done_at      INTEGER,
    outcome      TEXT    NOT NULL DEFAULT '',
    owner_id     INTEGER NOT NULL DEFAULT 0,
    contact_id   INTEGER NOT NULL DEFAULT 0,
    company_id   INTEGER NOT NULL DEFAULT 0,
    deal_id      INTEGER NOT NULL DEFAULT 0,
    notes        TEXT    NOT NULL DEFAULT '',
    created_by   INTEGER NOT NULL DEFAULT 0,
    created_at   INTEGER NOT NULL,
    updated_at   INTEGER NOT NULL,
    deleted_at   INTEGER
);
CREATE INDEX activities_owner_due ON activities (workspace_id, owner_id, done_at, due_at);
CREATE INDEX activities_deal ON activities (workspace_id, deal_id);
CREATE INDEX activities_contact ON activities (workspace_id, contact_id);

-- +goose Down
DROP TABLE activities;
DROP TABLE deals;
DROP TABLE stages;
DROP TABLE pipelines;
DROP TABLE contacts;
DROP TABLE companies;
