#!/bin/sh
# Import and export benchmark: ROWS generated contacts (twelve columns, 10%
# duplicate emails, companies by name) imported into a fresh SQLite database
# with `tandem import contacts --dedupe email`, then exported to CSV. Prints
# wall time and peak RSS (GNU time) of each step.
#
#   bench/import-1m.sh [ROWS]          (default 1000000)
#   KEEP=1 bench/import-1m.sh          keeps the data directory (printed)
#   SUPPRESSIONS=N bench/import-1m.sh  puts N placeholder entries (random
#                                      hashes, matching no row) on the
#                                      workspace's suppression list first,
#                                      so every row is checked (needs sqlite3)
set -eu
ROWS=${1:-1000000}
DIR=$(mktemp -d)
if [ -n "${KEEP:-}" ]; then echo "data: $DIR"; else trap 'rm -rf "$DIR"' EXIT; fi
go build -o "$DIR/tandem" ./cmd/tandem
go build -o "$DIR/contactscsv" ./bench/cmd/contactscsv
export TANDEM_DATA_DIR="$DIR/data" TANDEM_LOG_LEVEL=warn
"$DIR/tandem" migrate up >/dev/null
WS=$("$DIR/tandem" workspace create Bench | tail -1)
printf 'a long enough benchmark phrase\n' > "$DIR/pw"
"$DIR/tandem" user create --workspace "$WS" --email bench@example.com --role owner --password-file "$DIR/pw" >/dev/null
"$DIR/contactscsv" -rows "$ROWS" > "$DIR/contacts.csv"
if [ "${SUPPRESSIONS:-0}" -gt 0 ]; then
	# A keyed hash is 32 bytes in base64url: 42 free characters and a last
	# one whose low two bits are zero.
	awk -v n="$SUPPRESSIONS" -v ws="$WS" 'BEGIN {
		srand(1); a = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"; z = "AEIMQUYcgkosw048"
		print "BEGIN;"
		for (i = 1; i <= n; i++) {
			h = ""; for (j = 0; j < 42; j++) h = h substr(a, int(rand() * 64) + 1, 1)
			h = h substr(z, int(rand() * 16) + 1, 1)
			printf "INSERT INTO suppressions (id, workspace_id, kind, hash, reason, actor_type, actor_id, created_at) VALUES (%d, %s, \047%s\047, \047%s\047, \047manual\047, \047system\047, 0, 0);\n", i, ws, (i % 2 ? "email" : "phone"), h
		}
		print "COMMIT;"
	}' | sqlite3 "$DIR/data/tandem.db"
	echo "suppression list: $SUPPRESSIONS placeholder entries"
fi
echo "file: $(wc -c < "$DIR/contacts.csv") bytes, $ROWS rows"
TANDEM_LOG_LEVEL=info /usr/bin/time -f 'import: %e s wall, %U s user, %S s sys, peak RSS %M KB' \
	"$DIR/tandem" import contacts "$DIR/contacts.csv" --workspace "$WS" --dedupe email 2>"$DIR/import.err"
# The import's phases, as it logs them (level info).
grep -o '"msg":"import: [^"]*"[^}]*' "$DIR/import.err" | grep -v 'progress' || true
tail -1 "$DIR/import.err"
/usr/bin/time -f 'export: %e s wall, %U s user, %S s sys, peak RSS %M KB' \
	"$DIR/tandem" export contacts --workspace "$WS" --out "$DIR/out.csv" 2>"$DIR/export.err"
tail -2 "$DIR/export.err"
LINES=$(wc -l < "$DIR/out.csv")
echo "exported: $((LINES - 1)) rows, $(wc -c < "$DIR/out.csv") bytes"
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) cores"
