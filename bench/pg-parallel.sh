#!/bin/sh
# PostgreSQL, one connection against two: the two parts of a big import
# that PostgreSQL does in its own backend (docs/BENCHMARKS.md, docs/IMPORT.md).
#
#   1. The merge: contacts copied into a table with the eleven indexes of
#      contacts, in one INSERT … SELECT, then in two halves at once. Needs a
#      seeded database (tandem seed --size L) in DB.
#   2. The search documents: 1,000,000 generated documents into a table with
#      search_index's two trigram GIN indexes (pending list on, as a big
#      import has it), in chunks of 25,000 one after another, with a 64 MB
#      pending list, then in two halves at once. Uses a scratch database.
#
#   DB=postgres://postgres@127.0.0.1:5432/tandem_l bench/pg-parallel.sh
set -eu
DB=${DB:?set DB to a database seeded with tandem seed --size L}
SERVER=$(echo "$DB" | sed 's|/[^/]*$|/postgres|')
q() { psql "$1" -qAt -v ON_ERROR_STOP=1 -c "$2"; }
secs() { s=$(date +%s.%N); "$@"; echo "$(date +%s.%N) - $s" | bc; }

q "$DB" "DROP TABLE IF EXISTS bench_c, bench_s"
q "$DB" "CREATE TABLE bench_c (LIKE contacts INCLUDING ALL); CREATE TABLE bench_s AS SELECT * FROM contacts WHERE id % 10 <> 0"
MID=$(q "$DB" "SELECT percentile_disc(0.5) WITHIN GROUP (ORDER BY id) FROM bench_s")
echo "merge, $(q "$DB" "SELECT count(*) FROM bench_s") contacts, one statement: $(secs q "$DB" "INSERT INTO bench_c SELECT * FROM bench_s ORDER BY id") s"
q "$DB" "TRUNCATE bench_c"
two() {
	q "$DB" "INSERT INTO bench_c SELECT * FROM bench_s WHERE id <= $MID ORDER BY id" &
	q "$DB" "INSERT INTO bench_c SELECT * FROM bench_s WHERE id > $MID ORDER BY id" &
	wait
}
echo "merge, two halves at once: $(secs two) s"
q "$DB" "DROP TABLE bench_c, bench_s"

G=$(echo "$SERVER" | sed 's|/postgres$|/tandem_gin_bench|')
q "$SERVER" "DROP DATABASE IF EXISTS tandem_gin_bench"
q "$SERVER" "CREATE DATABASE tandem_gin_bench"
q "$G" "CREATE EXTENSION pg_trgm"
q "$G" "CREATE TABLE src AS SELECT i AS id, 'Person' || (i::bigint * 7919 % 100003) || ' Surname' || (i::bigint * 104729 % 50021) AS title,
  'user' || i || '@' || (ARRAY['gmail.com', 'example.org', 'acme.io', 'outlook.com'])[1 + i % 4] || ' 44207946' || (i % 10000) || ' Buyer' AS body
  FROM generate_series(1, 1000000) i"
q "$G" "CREATE TABLE b (id bigint PRIMARY KEY, title text, body text);
  CREATE INDEX b_t ON b USING gin (lower(title) gin_trgm_ops) WITH (fastupdate = on);
  CREATE INDEX b_b ON b USING gin (lower(body) gin_trgm_ops) WITH (fastupdate = on)"
chunks() { # $1 $2: first and last chunk; $3: settings
	q "$G" "$3 DO \$\$ BEGIN FOR k IN $1..$2 LOOP INSERT INTO b SELECT * FROM src WHERE id > k*25000 AND id <= (k+1)*25000; END LOOP; END \$\$"
}
clean() { q "$G" "SELECT gin_clean_pending_list('b_t'), gin_clean_pending_list('b_b')" >/dev/null; }
echo "documents, chunks one after another: $(secs chunks 0 39 '') s, then cleaning $(secs clean) s"
q "$G" "TRUNCATE b"
echo "documents, 64 MB pending list: $(secs chunks 0 39 "SET gin_pending_list_limit = '64MB';") s, then cleaning $(secs clean) s"
q "$G" "TRUNCATE b"
halves() { chunks 0 19 '' & chunks 20 39 '' & wait; }
echo "documents, two halves at once: $(secs halves) s, then cleaning $(secs clean) s"
q "$SERVER" "DROP DATABASE tandem_gin_bench"
