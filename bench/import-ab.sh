#!/bin/sh
# Compares tandem binaries on the same 1M-row import, run in turn (the
# machine's speed drifts, so compare within a round): each run imports the
# file into a fresh SQLite data directory with `--dedupe email` and prints
# the import's phases, wall time and peak RSS.
#
#   bench/import-ab.sh ROUNDS BIN...         e.g. bench/import-ab.sh 3 /tmp/old /tmp/new
#   ROWS=200000 bench/import-ab.sh 2 BIN...  a smaller file
#   CSV=FILE bench/import-ab.sh ...          an existing file
#   PAGE_SIZE=8192 bench/import-ab.sh ...    data files of that page size
#
# A binary of an older commit: git worktree add /tmp/old COMMIT &&
# (cd /tmp/old && go build -o /tmp/old-tandem ./cmd/tandem).
set -eu
ROUNDS=$1; shift
DIR=$(mktemp -d)
trap 'rm -rf "$DIR"' EXIT
if [ -z "${CSV:-}" ]; then
	go build -o "$DIR/contactscsv" ./bench/cmd/contactscsv
	CSV="$DIR/contacts.csv"
	"$DIR/contactscsv" -rows "${ROWS:-1000000}" > "$CSV"
fi
if [ -n "${PAGE_SIZE:-}" ]; then
	go build -o "$DIR/pagesize" ./bench/cmd/pagesize
fi
for i in $(seq "$ROUNDS"); do
	for BIN in "$@"; do
		echo "== round $i: $BIN"
		D="$DIR/data"
		rm -rf "$D"
		if [ -n "${PAGE_SIZE:-}" ]; then
			mkdir -p "$D" && "$DIR/pagesize" -size "$PAGE_SIZE" "$D/tandem.db" >/dev/null
		fi
		export TANDEM_DATA_DIR="$D" TANDEM_LOG_LEVEL=warn
		"$BIN" migrate up >/dev/null
		WS=$("$BIN" workspace create Bench | tail -1)
		printf 'a long enough benchmark phrase\n' > "$DIR/pw"
		"$BIN" user create --workspace "$WS" --email bench@example.com --role owner --password-file "$DIR/pw" >/dev/null
		TANDEM_LOG_LEVEL=info /usr/bin/time -f 'import: %e s wall, %U s user, %S s sys, peak RSS %M KB' \
			"$BIN" import contacts "$CSV" --workspace "$WS" --dedupe email 2>"$DIR/import.err" >/dev/null
		grep -o '"msg":"import: [^"]*"[^}]*' "$DIR/import.err" | grep -v progress |
			sed 's/"msg":"import: //; s/","import":"[0-9]*"//' || true
		tail -1 "$DIR/import.err"
	done
done
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) cores"
