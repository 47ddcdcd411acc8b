#!/bin/sh
# Is the API responsive during an import? Starts `tandem serve` on SQLite
# with BASE contacts already imported, measures GET /api/v1/contacts?limit=50
# (the API's list page) at CONC clients for DUR while idle, then again while
# the server imports ROWS more contacts (POST /api/v1/imports, the job runs in
# the server), then idle again. Prints each phase's p50/p95/p99 and the
# import's wall time. The issue's budget: p95 during ≤ 2x p95 idle.
#
#   bench/import-api.sh [ROWS] [BASE]      (defaults 1000000 and 100000)
#   CONC=4 DUR=20s bench/import-api.sh
set -eu
ROWS=${1:-1000000}
BASE=${2:-100000}
CONC=${CONC:-4}
DUR=${DUR:-20s}
PORT=${PORT:-18089}
DIR=$(mktemp -d)
SERVER=
trap '[ -n "$SERVER" ] && kill "$SERVER" 2>/dev/null; rm -rf "$DIR"' EXIT
go build -o "$DIR/tandem" ./cmd/tandem
go build -o "$DIR/contactscsv" ./bench/cmd/contactscsv
go build -o "$DIR/apiload" ./bench/cmd/apiload
export TANDEM_DATA_DIR="$DIR/data" TANDEM_LOG_LEVEL=warn TANDEM_ADDR="127.0.0.1:$PORT"
"$DIR/tandem" migrate up >/dev/null
WS=$("$DIR/tandem" workspace create Bench | tail -1)
printf 'a long enough benchmark phrase\n' > "$DIR/pw"
"$DIR/tandem" user create --workspace "$WS" --email bench@example.com --role owner --password-file "$DIR/pw" >/dev/null
KEY=$("$DIR/tandem" apikey create --workspace "$WS" --user bench@example.com --name bench | tail -1)
"$DIR/contactscsv" -rows "$BASE" -seed 2 > "$DIR/base.csv"
"$DIR/tandem" import contacts "$DIR/base.csv" --workspace "$WS" --dedupe email 2>/dev/null
"$DIR/contactscsv" -rows "$ROWS" > "$DIR/contacts.csv"
"$DIR/tandem" serve >"$DIR/serve.log" 2>&1 &
SERVER=$!
URL="http://127.0.0.1:$PORT"
i=0
until curl -sf "$URL/healthz" >/dev/null; do i=$((i+1)); [ $i -lt 100 ] || { cat "$DIR/serve.log"; exit 1; }; sleep 0.2; done
LIST="$URL/api/v1/contacts?limit=50"
"$DIR/apiload" -url "$LIST" -key "$KEY" -c "$CONC" -d "$DUR" -label "idle:  "
START=$(date +%s.%N)
ID=$(curl -sf -H "Authorization: Bearer $KEY" -F kind=contacts -F dedupe=email -F "file=@$DIR/contacts.csv" "$URL/api/v1/imports" |
	sed -n 's/.*"id":"\([0-9]*\)".*/\1/p')
[ -n "$ID" ] || { echo "upload failed"; exit 1; }
"$DIR/apiload" -url "$LIST" -key "$KEY" -c "$CONC" -d "$DUR" -label "import:"
while :; do
	ST=$(curl -sf -H "Authorization: Bearer $KEY" "$URL/api/v1/imports/$ID" | sed -n 's/.*"status":"\([a-z]*\)".*/\1/p')
	case "$ST" in done|failed|cancelled) break ;; esac
	sleep 0.5
done
END=$(date +%s.%N)
echo "import: $ST in $(echo "$END - $START" | bc) s (upload included): $(curl -sf -H "Authorization: Bearer $KEY" "$URL/api/v1/imports/$ID" | grep -o '"summary":"[^"]*"')"
"$DIR/apiload" -url "$LIST" -key "$KEY" -c "$CONC" -d "$DUR" -label "after: "
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) cores"
