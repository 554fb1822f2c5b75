#!/usr/bin/env bash
# Builds release, seeds a data set into a temporary database, starts the server on
# 127.0.0.1, loads it from a second process for a bounded time, prints the figures,
# and stops everything it started. Needs wrk (apt-get install wrk) and python3.
#   SEED=demo-large (default) | demo    DURATION=10s    CONNECTIONS=32    PORT=18181
set -euo pipefail
cd "$(dirname "$0")/.."
SEED=${SEED:-demo-large}
DURATION=${DURATION:-10s}
CONNECTIONS=${CONNECTIONS:-32}
PORT=${PORT:-18181}
BASE="http://127.0.0.1:$PORT"
FAHAD=1400949291

command -v wrk >/dev/null || { echo "wrk is needed: apt-get install wrk" >&2; exit 2; }
cargo build --release --quiet
BIN=target/release/rasid
TMP=$(mktemp -d)
PID=
cleanup() { [ -n "$PID" ] && kill "$PID" 2>/dev/null; wait 2>/dev/null; rm -rf "$TMP"; }
trap cleanup EXIT

start=$(date +%s.%N)
"$BIN" serve --dev --bind "127.0.0.1:$PORT" --db "$TMP/bench.db" --seed "$SEED" 2>"$TMP/server.log" &
PID=$!
until curl -sf "$BASE/healthz" >/dev/null; do
  kill -0 "$PID" 2>/dev/null || { cat "$TMP/server.log"; exit 1; }
  sleep 0.05
done
ready=$(date +%s.%N)
echo "== seed $SEED and start: $(echo "$ready - $start" | bc) s"
echo "   $(grep -o 'transactions=[0-9]*\|elapsed_ms=[0-9]*' "$TMP/server.log" | tr '\n' ' ' || true)"
echo "   database: $(du -h "$TMP/bench.db" | cut -f1)"

TOKEN=$(python3 scripts/bench_client.py "$BASE" token)
COUNT=$(curl -s -H "Authorization: Bearer $TOKEN" "$BASE/api/v1/people/$FAHAD/transactions?limit=1" \
  | python3 -c 'import json,sys; print(json.load(sys.stdin)["total_count"])')
echo "   transactions on the establishment owner's ID ($FAHAD): $COUNT"
cat > "$TMP/auth.lua" <<LUA
wrk.headers["Authorization"] = "Bearer $TOKEN"
LUA

# One wrk run: requests/s, p50, p99, and the server's CPU time per request (from /proc, steadier than
# requests/s on a shared machine).
TCK=$(getconf CLK_TCK)
load() { # connections duration lua url
  local before after out n
  before=$(awk '{print $14+$15}' "/proc/$PID/stat")
  out=$(wrk -t"$(( $1 < 2 ? 1 : 2 ))" -c"$1" -d"$2" --latency -s "$3" "$4")
  after=$(awk '{print $14+$15}' "/proc/$PID/stat")
  n=$(echo "$out" | awk '/requests in/ {print $1}')
  echo "$out" | grep -q 'Non-2xx' && { echo "$out" | grep 'Non-2xx'; }
  printf '%8.0f req/s  p50 %8s  p99 %8s  server CPU %4d us/request\n' \
    "$(echo "$out" | awk '/Requests\/sec/ {print $2}')" "$(echo "$out" | awk '$1=="50%" {print $2}')" \
    "$(echo "$out" | awk '$1=="99%" {print $2}')" $(( (after - before) * 1000000 / TCK / n ))
}

read -r TOKEN2 CURSOR < <(python3 scripts/bench_client.py "$BASE" cursor 10000 "$FAHAD")
cat > "$TMP/auth2.lua" <<LUA
wrk.headers["Authorization"] = "Bearer $TOKEN2"
LUA
FIRST="$BASE/api/v1/people/$FAHAD/transactions?limit=100"
DEEP="$BASE/api/v1/people/$FAHAD/transactions?limit=100&cursor=$CURSOR"
echo "== GET transactions?limit=100, $CONNECTIONS connections, $DURATION a run; first page and 10,000th page in turn"
for round in 1 2 3; do
  echo -n "   first page    "; load "$CONNECTIONS" "$DURATION" "$TMP/auth.lua" "$FIRST"
  echo -n "   10,000th page "; load "$CONNECTIONS" "$DURATION" "$TMP/auth2.lua" "$DEEP"
done

echo "== GET spending?by=month over the whole history: one request at a time, then 4 at a time"
echo -n "   1 connection  "; load 1 "$DURATION" "$TMP/auth.lua" "$BASE/api/v1/people/$FAHAD/spending?by=month"
echo -n "   4 connections "; load 4 "$DURATION" "$TMP/auth.lua" "$BASE/api/v1/people/$FAHAD/spending?by=month"

echo "== POST inquiries/payments-balance (each needs a fresh image code, so one at a time)"
python3 scripts/bench_client.py "$BASE" inquiries 100 "$FAHAD"
