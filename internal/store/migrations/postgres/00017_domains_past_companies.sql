-- Companies with several domains, and the companies a person used to work
-- at. The primary domain stays in companies.domain (lists sort by it, and
-- bulk loads write only that column); company_domains holds the others,
-- normalised like the primary, indexed by domain so duplicate detection and
-- search find a company by any of them. contact_companies is a person's
-- work history: when a contact's company changes, the previous one is
-- written here in the same transaction, starting on the day the contact's
-- company last changed (contacts.company_since). Dates are 'YYYY-MM-DD', or
-- '' when unknown.

-- +goose Up
CREATE TABLE company_domains (
    workspace_id BIGINT  NOT NULL,
    company_id   BIGINT  NOT NULL,
    domain       TEXT    NOT NULL,
    position     INTEGER NOT NULL,   -- 1, 2, …: after the primary (companies.domain)
    PRIMARY KEY (workspace_id, company_id, domain)
);
CREATE INDEX company_domains_domain ON company_domains (workspace_id, domain, company_id); -- covering: SQLite preferred the primary key without it

CREATE TABLE contact_companies (
    id           BIGINT PRIMARY KEY,
    workspace_id BIGINT  NOT NULL,
    contact_id   BIGINT  NOT NULL,
    company_id   BIGINT  NOT NULL,
    title        TEXT    NOT NULL DEFAULT '',
    started_on   TEXT    NOT NULL DEFAULT '',
    ended_on     TEXT    NOT NULL DEFAULT '',
    created_at   BIGINT  NOT NULL
);
CREATE INDEX contact_companies_contact ON contact_companies (workspace_id, contact_id);
CREATE INDEX contact_companies_company ON contact_companies (workspace_id, company_id);
ALTER TABLE contacts ADD COLUMN company_since TEXT NOT NULL DEFAULT '';

-- Search: trigram indexes that lead with the workspace (btree_gin lets a GIN
-- index hold the bigint), so one index serves "this workspace and this
-- substring / similar word", and without GIN's pending list (fastupdate):
-- with it, every document written since the last vacuum sits in an unsorted
-- list that each search reads in full and the planner prices as such. With
-- the indexes of 00016 the planner chose a sequential scan and ran LIKE or
-- word_similarity on every document of the workspace (245 ms for one typo
-- at size S; 5 ms with these).
CREATE EXTENSION IF NOT EXISTS btree_gin;
CREATE INDEX search_index_ws_title ON search_index USING gin (workspace_id, lower(title) gin_trgm_ops) WITH (fastupdate = off);
CREATE INDEX search_index_ws_body ON search_index USING gin (workspace_id, lower(body) gin_trgm_ops) WITH (fastupdate = off);
DROP INDEX search_index_title;
DROP INDEX search_index_body;

-- +goose Down
CREATE INDEX search_index_title ON search_index USING gin (lower(title) gin_trgm_ops);
CREATE INDEX search_index_body ON search_index USING gin (lower(body) gin_trgm_ops);
DROP INDEX search_index_ws_body;
DROP INDEX search_index_ws_title;
ALTER TABLE contacts DROP COLUMN company_since;
DROP TABLE contact_companies;
DROP TABLE company_domains;
