-- Trigram GIN indexes maintained document by document (fastupdate = off,
-- as search_index's are) against through the pending list (fastupdate =
-- on, as a big import turns it on): 200,000 generated documents into each.
--   psql -h 127.0.0.1 -U postgres -c 'CREATE DATABASE gintest'
--   psql -h 127.0.0.1 -U postgres -d gintest -f bench/gin-pending.sql
CREATE EXTENSION IF NOT EXISTS pg_trgm;
DROP TABLE IF EXISTS src, a, b;
CREATE TABLE src AS SELECT i AS id, 'Person' || (i::bigint * 7919 % 100003) || ' Surname' || (i::bigint * 104729 % 50021) AS title,
  'user' || i || '@' || (ARRAY['gmail.com', 'example.org', 'acme.io', 'outlook.com'])[1 + i % 4] || ' 44207946' || (i % 10000) || ' Buyer' AS body
  FROM generate_series(1, 200000) i;
CREATE TABLE a (id bigint PRIMARY KEY, title text, body text);
CREATE INDEX a_t ON a USING gin (lower(title) gin_trgm_ops) WITH (fastupdate = off);
CREATE INDEX a_b ON a USING gin (lower(body) gin_trgm_ops) WITH (fastupdate = off);
CREATE TABLE b (id bigint PRIMARY KEY, title text, body text);
CREATE INDEX b_t ON b USING gin (lower(title) gin_trgm_ops) WITH (fastupdate = on);
CREATE INDEX b_b ON b USING gin (lower(body) gin_trgm_ops) WITH (fastupdate = on);
\timing on
INSERT INTO a SELECT * FROM src;  -- one by one
INSERT INTO b SELECT * FROM src;  -- through the pending list
SELECT gin_clean_pending_list('b_t'), gin_clean_pending_list('b_b');
