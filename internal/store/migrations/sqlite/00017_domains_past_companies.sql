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
    workspace_id INTEGER NOT NULL,
    company_id   INTEGER NOT NULL,
    domain       TEXT    NOT NULL,
    position     INTEGER NOT NULL,   -- 1, 2, …: after the primary (companies.domain)
    PRIMARY KEY (workspace_id, company_id, domain)
);
CREATE INDEX company_domains_domain ON company_domains (workspace_id, domain, company_id); -- covering: SQLite preferred the primary key without it

CREATE TABLE contact_companies (
    id           INTEGER PRIMARY KEY,
    workspace_id INTEGER NOT NULL,
    contact_id   INTEGER NOT NULL,
    company_id   INTEGER NOT NULL,
    title        TEXT    NOT NULL DEFAULT '',
    started_on   TEXT    NOT NULL DEFAULT '',
    ended_on     TEXT    NOT NULL DEFAULT '',
    created_at   INTEGER NOT NULL
);
CREATE INDEX contact_companies_contact ON contact_companies (workspace_id, contact_id);
CREATE INDEX contact_companies_company ON contact_companies (workspace_id, company_id);
ALTER TABLE contacts ADD COLUMN company_since TEXT NOT NULL DEFAULT '';

-- +goose Down
ALTER TABLE contacts DROP COLUMN company_since;
DROP TABLE contact_companies;
DROP TABLE company_domains;
