-- Global search. One document per searchable record (title: the name;
-- body: emails, phone digits, domain, company, title). SQLite: an FTS5 table
-- with the trigram tokenizer — substring matches, and typo tolerance by
-- matching any of a word's trigrams and ranking by how many match.

-- +goose Up
CREATE VIRTUAL TABLE search_index USING fts5(
    workspace_id UNINDEXED, object_type UNINDEXED, object_id UNINDEXED, title, body,
    tokenize = 'trigram remove_diacritics 1'
);

-- +goose Down
DROP TABLE search_index;
