#!/bin/bash
# An import's resident memory over time: a fresh SQLite data directory,
# `tandem import contacts CSV --dedupe email`, RssAnon and RssFile (KB) of
# the process every second, then GNU time's peak and the phase log lines.
#
#   go build -o bin/tandem ./cmd/tandem
#   go run ./bench/cmd/contactscsv -rows 200000 > /tmp/c200k.csv
#   bench/import-rss.sh bin/tandem /tmp/c200k.csv /tmp/import-rss
set -eu
BIN=$(realpath "$1"); CSV=$2; D=$3
export TANDEM_DATA_DIR=$D/data TANDEM_LOG_LEVEL=info TANDEM_LOG_FORMAT=text
rm -rf "$D"; mkdir -p "$D"
"$BIN" migrate up >/dev/null 2>&1
WS=$("$BIN" workspace create Bench 2>/dev/null | tail -1)
printf 'a long enough benchmark phrase\n' > "$D/pw"
"$BIN" user create --workspace "$WS" --email bench@example.com --role owner --password-file "$D/pw" >/dev/null 2>&1
/usr/bin/time -f 'import: %e s wall, %U s user, %S s sys, peak RSS %M KB' -o "$D/time" \
	"$BIN" import contacts "$CSV" --workspace "$WS" --dedupe email > "$D/out" 2> "$D/err" &
sleep 0.3
PID=$(pgrep -f "^$BIN import contacts" | head -1)
start=$(date +%s)
while kill -0 "$PID" 2>/dev/null; do
	echo "$(( $(date +%s) - start ))s $(grep -E 'RssAnon|RssFile' /proc/$PID/status 2>/dev/null | awk '{printf "%s ", $2}')"
	sleep 1
done > "$D/rss.log"
wait
cat "$D/out" "$D/time"
tr '\r' '\n' < "$D/err" | grep 'import:' | sed 's/^.*msg=//'
echo "samples (seconds, RssAnon KB, RssFile KB) in $D/rss.log"
