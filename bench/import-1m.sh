#!/bin/sh
# Import and export benchmark: ROWS generated contacts (twelve columns, 10%
# duplicate emails, companies by name) imported into a fresh SQLite database
# with `tandem import contacts --dedupe email`, then exported to CSV. Prints
# wall time and peak RSS (GNU time) of each step.
#
#   bench/import-1m.sh [ROWS]          (default 1000000)
#   KEEP=1 bench/import-1m.sh          keeps the data directory (printed)
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
