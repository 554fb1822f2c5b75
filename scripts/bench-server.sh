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

echo "== GET transactions?limit=100 (first page), $CONNECTIONS connections, $DURATION"
wrk -t2 -c"$CONNECTIONS" -d"$DURATION" --latency -s "$TMP/auth.lua" \
  "$BASE/api/v1/people/$FAHAD/transactions?limit=100" | grep -E 'Requests/sec|50%|99%|Non-2xx'

echo "== the 10,000th page (limit=100), same load"
read -r TOKEN2 CURSOR < <(python3 scripts/bench_client.py "$BASE" cursor 10000 "$FAHAD")
cat > "$TMP/auth2.lua" <<LUA
wrk.headers["Authorization"] = "Bearer $TOKEN2"
LUA
wrk -t2 -c"$CONNECTIONS" -d"$DURATION" --latency -s "$TMP/auth2.lua" \
  "$BASE/api/v1/people/$FAHAD/transactions?limit=100&cursor=$CURSOR" | grep -E 'Requests/sec|50%|99%|Non-2xx'

echo "== GET spending?by=month"
wrk -t2 -c4 -d"$DURATION" --latency -s "$TMP/auth.lua" \
  "$BASE/api/v1/people/$FAHAD/spending?by=month" | grep -E 'Requests/sec|50%|99%|Non-2xx'

echo "== POST inquiries/payments-balance (each needs a fresh image code, so one at a time)"
python3 scripts/bench_client.py "$BASE" inquiries 100 "$FAHAD"
