#!/usr/bin/env bash
# Builds release, seeds a data set into a temporary database, starts the server on
# 127.0.0.1, loads it from a second process for a bounded time, prints the figures,
# and stops everything it started. Needs wrk (apt-get install wrk) and python3; for
# PostgreSQL its server binaries (apt-get install postgresql): the script starts a
# throwaway cluster of its own in a temporary directory and removes it.
#   ENGINE=both (default: SQLite, then PostgreSQL, in one run) | sqlite | postgres
#   SEED=demo-large (default) | demo    DURATION=10s    CONNECTIONS=8    PORT=18181    ROUNDS=3
# One user has at most 8 requests in flight (more are 429 at once), so the history is loaded over 8
# connections: more would measure refusals.
#   BIN=path/to/rasid (default: build release and use it)
set -euo pipefail
cd "$(dirname "$0")/.."
ENGINE=${ENGINE:-both}
SEED=${SEED:-demo-large}
DURATION=${DURATION:-10s}
CONNECTIONS=${CONNECTIONS:-8}
PORT=${PORT:-18181}
ROUNDS=${ROUNDS:-3}
BASE="http://127.0.0.1:$PORT"
FAHAD=1400949291
case "$ENGINE" in both) ENGINES="sqlite postgres" ;; sqlite | postgres) ENGINES=$ENGINE ;;
  *) echo "ENGINE is sqlite, postgres or both" >&2; exit 2 ;; esac

command -v wrk >/dev/null || { echo "wrk is needed: apt-get install wrk" >&2; exit 2; }
PGBIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1 || true)
if [[ $ENGINES == *postgres* && ! -x "$PGBIN/initdb" ]]; then
  echo "PostgreSQL's server binaries are needed: apt-get install postgresql" >&2; exit 2
fi
if [ -z "${BIN:-}" ]; then cargo build --release --quiet; BIN=target/release/rasid; fi
TMP=$(mktemp -d)
chmod 755 "$TMP"
PID=
PGPID=
cleanup() {
  [ -n "$PID" ] && kill "$PID" 2>/dev/null
  [ -n "$PGPID" ] && kill -INT "$PGPID" 2>/dev/null
  wait 2>/dev/null
  while [ -n "$PGPID" ] && kill -0 "$PGPID" 2>/dev/null; do sleep 0.1; done
  rm -rf "$TMP"
}
trap cleanup EXIT

# PostgreSQL refuses to run as root: as root, the cluster runs as the postgres user.
as_pg() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }

start_postgres() {
  mkdir -p "$TMP/pg"
  [ "$(id -u)" = 0 ] && chown postgres "$TMP/pg"
  as_pg "$PGBIN/initdb" -D "$TMP/pg/data" -A trust -U rasid -E UTF8 --locale=C >/dev/null
  PGPORT=$((PORT + 1))
  # Durable as shipped (fsync on); only the memory is sized for the data set.
  as_pg "$PGBIN/postgres" -D "$TMP/pg/data" -p "$PGPORT" -k "$TMP/pg" -c listen_addresses=127.0.0.1 \
    -c shared_buffers=512MB -c max_connections=100 2>"$TMP/pg/log" &
  local launcher=$!
  until "$PGBIN/pg_isready" -q -h 127.0.0.1 -p "$PGPORT"; do
    kill -0 "$launcher" 2>/dev/null || { cat "$TMP/pg/log"; exit 1; }
    sleep 0.1
  done
  # The postmaster itself (runuser may stand between it and this shell).
  PGPID=$(head -1 "$TMP/pg/data/postmaster.pid")
  "$PGBIN/createdb" -h 127.0.0.1 -p "$PGPORT" -U rasid rasid
  DB="postgres://rasid@127.0.0.1:$PGPORT/rasid"
}

# CPU time (clock ticks) of the server, and of the PostgreSQL cluster: the postmaster and every backend.
cpu_of() { awk '{print $14+$15}' "/proc/$1/stat" 2>/dev/null || echo 0; }
pg_cpu() { # the postmaster with its ended children (cutime, cstime), and every live backend
  [ -z "$PGPID" ] && { echo 0; return; }
  local total p
  total=$(awk '{print $14+$15+$16+$17}' "/proc/$PGPID/stat")
  for p in $(ps -o pid= --ppid "$PGPID"); do total=$((total + $(cpu_of "$p"))); done
  echo "$total"
}

# One wrk run: requests/s, p50, p99, and CPU time per request of the server and of PostgreSQL (from
# /proc, steadier than requests/s on a shared machine).
TCK=$(getconf CLK_TCK)
load() { # connections duration lua url
  local before after pgbefore pgafter out n
  before=$(cpu_of "$PID"); pgbefore=$(pg_cpu)
  out=$(wrk -t"$(( $1 < 2 ? 1 : 2 ))" -c"$1" -d"$2" --latency -s "$3" "$4")
  after=$(cpu_of "$PID"); pgafter=$(pg_cpu)
  n=$(echo "$out" | awk '/requests in/ {print $1}')
  echo "$out" | grep -q 'Non-2xx' && { echo "$out" | grep 'Non-2xx'; }
  LAST_RPS=$(echo "$out" | awk '/Requests\/sec/ {print $2}')
  printf '%8.0f req/s  p50 %8s  p99 %8s  CPU a request: rasid %4d us, postgres %4d us\n' \
    "$LAST_RPS" "$(echo "$out" | awk '$1=="50%" {print $2}')" "$(echo "$out" | awk '$1=="99%" {print $2}')" \
    $(( (after - before) * 1000000 / TCK / n )) $(( (pgafter - pgbefore) * 1000000 / TCK / n ))
}

median() { tr ' ' '\n' | grep . | sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

declare -A FIRST_RPS
for engine in $ENGINES; do
  echo "######## $engine"
  if [ "$engine" = postgres ]; then start_postgres; else DB="$TMP/bench.db"; fi
  start=$(date +%s.%N)
  "$BIN" serve --dev --bind "127.0.0.1:$PORT" --db "$DB" --seed "$SEED" 2>"$TMP/server.log" &
  PID=$!
  until curl -sf "$BASE/readyz" >/dev/null; do
    kill -0 "$PID" 2>/dev/null || { cat "$TMP/server.log"; exit 1; }
    sleep 0.05
  done
  ready=$(date +%s.%N)
  echo "== seed $SEED and start: $(echo "$ready - $start" | bc) s"
  echo "   $(grep -o 'transactions=[0-9]*\|elapsed_ms=[0-9]*' "$TMP/server.log" | tr '\n' ' ' || true)"
  if [ "$engine" = postgres ]; then
    echo "   database: $(psql -qtA -h 127.0.0.1 -p "$PGPORT" -U rasid rasid -c "SELECT pg_size_pretty(pg_database_size('rasid'))")"
  else
    echo "   database: $(du -h "$TMP/bench.db" | cut -f1)"
  fi

  TOKEN=$(python3 scripts/bench_client.py "$BASE" token)
  echo "wrk.headers[\"Authorization\"] = \"Bearer $TOKEN\"" > "$TMP/auth.lua"
  COUNT=$(curl -s -H "Authorization: Bearer $TOKEN" "$BASE/api/v1/people/$FAHAD/transactions?limit=1" \
    | python3 -c 'import json,sys; print(json.load(sys.stdin)["total_count"])')
  echo "   transactions on the establishment owner's ID ($FAHAD): $COUNT"
  read -r _ CURSOR < <(python3 scripts/bench_client.py "$BASE" cursor 10000 "$FAHAD")
  FIRST="$BASE/api/v1/people/$FAHAD/transactions?limit=100"
  DEEP="$BASE/api/v1/people/$FAHAD/transactions?limit=100&cursor=$CURSOR"
  echo "== GET transactions?limit=100, $CONNECTIONS connections, $DURATION a run; first page and 10,000th page in turn"
  firsts=""
  for round in $(seq "$ROUNDS"); do
    echo -n "   first page    "; load "$CONNECTIONS" "$DURATION" "$TMP/auth.lua" "$FIRST"; firsts="$firsts $LAST_RPS"
    echo -n "   10,000th page "; load "$CONNECTIONS" "$DURATION" "$TMP/auth.lua" "$DEEP"
  done
  FIRST_RPS[$engine]=$(echo "$firsts" | median)

  echo "== GET spending?by=month over the whole history: one request at a time, then 4 at a time"
  echo -n "   1 connection  "; load 1 "$DURATION" "$TMP/auth.lua" "$BASE/api/v1/people/$FAHAD/spending?by=month"
  echo -n "   4 connections "; load 4 "$DURATION" "$TMP/auth.lua" "$BASE/api/v1/people/$FAHAD/spending?by=month"

  echo "== POST inquiries/payments-balance (each needs a fresh image code, so one at a time)"
  python3 scripts/bench_client.py "$BASE" inquiries 100 "$FAHAD"

  kill "$PID"; wait "$PID" 2>/dev/null || true; PID=
  if [ -n "$PGPID" ]; then
    kill -INT "$PGPID"
    while kill -0 "$PGPID" 2>/dev/null; do sleep 0.1; done
    PGPID=
  fi
done

if [ -n "${FIRST_RPS[sqlite]:-}" ] && [ -n "${FIRST_RPS[postgres]:-}" ]; then
  echo "== first page, median of $ROUNDS: PostgreSQL ${FIRST_RPS[postgres]} req/s against SQLite ${FIRST_RPS[sqlite]}" \
    "($(echo "scale=2; 100 * ${FIRST_RPS[postgres]} / ${FIRST_RPS[sqlite]}" | bc) %)"
fi
