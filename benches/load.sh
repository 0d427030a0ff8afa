#!/usr/bin/env bash
# The load benchmark of docs/benchmarks.md: case intake (POST), the case list (50 rows, filtered)
# and the case page, each against a bare actix-web handler doing one diesel insert or select on the
# same database (the baseline), all in one run, on SQLite with generated data. Then the web pages
# with a signed-in session (the desk of a director and of a mediator, the case list page, the
# case page), each as a ratio to its JSON counterpart in the same run.
#
#   benches/load.sh                      # 100,000 cases, 32 connections, 10 s per route
#   CASES=20000 DURATION=5s benches/load.sh
#
# Needs wrk (apt-get install wrk). The generated database is cached under the target directory.
# BIN=path/to/tiaojie runs a binary built elsewhere (no build here).
set -euo pipefail
cd "$(dirname "$0")/.."

CASES=${CASES:-100000}
DURATION=${DURATION:-10s}
CONNS=${CONNS:-32}
PORT=${PORT:-18080}
TARGET=${CARGO_TARGET_DIR:-target}
DIR="$TARGET/bench"
BIN=${BIN:-}
BASE="http://127.0.0.1:$PORT"

command -v wrk >/dev/null || { echo "needs wrk: apt-get install wrk" >&2; exit 1; }
if [ -z "$BIN" ]; then
  cargo build --release --quiet
  BIN="$TARGET/release/tiaojie"
fi
mkdir -p "$DIR"

# The seed is generated once per size and schema (the newest migration's name).
SCHEMA=$(ls migrations/sqlite | sort | tail -n 1)
SEED="$DIR/seed-$CASES-$SCHEMA.db"
if [ ! -f "$SEED.ready" ]; then
  rm -f "$SEED" "$SEED-wal" "$SEED-shm"
  TIAOJIE_DATABASE_URL="sqlite://$SEED" "$BIN" demo --cases "$CASES" --consultations $((CASES * 73 / 100)) >/dev/null
  TIAOJIE_DATABASE_URL="sqlite://$SEED" TIAOJIE_PASSWORD=bench-password-1 \
    "$BIN" user add --username benchmed --role mediator --email bench@example.org --unit 1 >/dev/null
  touch "$SEED.ready"
fi
RUN="$DIR/run.db"
rm -f "$RUN" "$RUN-wal" "$RUN-shm"
cp "$SEED" "$RUN"
[ -f "$SEED-wal" ] && cp "$SEED-wal" "$RUN-wal"

TIAOJIE_DATABASE_URL="sqlite://$RUN" TIAOJIE_BIND="127.0.0.1:$PORT" TIAOJIE_REMINDER_INTERVAL=0 \
  TIAOJIE_LOG=warn "$BIN" serve --bench-baseline >"$DIR/server.log" 2>&1 &
SERVER=$!
trap 'kill $SERVER 2>/dev/null || true' EXIT
for _ in $(seq 1 100); do curl -fs "$BASE/healthz" >/dev/null && break; sleep 0.1; done

TOKEN=$(curl -fs -X POST "$BASE/api/v1/auth/login" -H 'content-type: application/json' \
  -d '{"username":"benchmed","password":"bench-password-1"}' | sed 's/.*"token":"\([^"]*\)".*/\1/')

# A page session, as the sign-in form makes it: POST /login, keep the session cookie.
session() {
  curl -fs -o /dev/null -D - -X POST "$BASE/login" --data-urlencode "username=$1" \
    --data-urlencode "password=$2" --data-urlencode "next=/" |
    sed -n 's/^[Ss]et-[Cc]ookie: *\([^=;]*=[^;]*\).*/\1/p' | head -n 1
}
MED_COOKIE=$(session benchmed bench-password-1)
# The demo's director of the first street's center and one of its mediators, with their cases.
DIR_COOKIE=$(session director1 tiaojie-demo)
DESK_MED_COOKIE=$(session mediator1 tiaojie-demo)
for c in "$MED_COOKIE" "$DIR_COOKIE" "$DESK_MED_COOKIE"; do
  [ -n "$c" ] || { echo "signing in through /login failed" >&2; exit 1; }
done

cat >"$DIR/intake.lua" <<LUA
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "Bearer $TOKEN"
wrk.body = '{"received_at":"2026-01-05T09:00:00+08:00","channel":"visit","category":"wage_arrears","enterprise_id":1,"applicant_name":"王芳","applicant_phone":"13812348000","workers_involved":3,"amount_claimed":"45000.00","description":"拖欠工资","unit_id":2}'
LUA
cat >"$DIR/auth.lua" <<LUA
wrk.headers["Authorization"] = "Bearer $TOKEN"
LUA
cat >"$DIR/detail.lua" <<LUA
wrk.headers["Authorization"] = "Bearer $TOKEN"
request = function()
  return wrk.format("GET", "/api/v1/cases/" .. math.random(1, $CASES))
end
LUA
cat >"$DIR/select.lua" <<LUA
request = function()
  return wrk.format("GET", "/bench/select/" .. math.random(1, $CASES))
end
LUA
cat >"$DIR/page_med.lua" <<LUA
wrk.headers["Cookie"] = "$MED_COOKIE"
LUA
cat >"$DIR/page_detail.lua" <<LUA
wrk.headers["Cookie"] = "$MED_COOKIE"
request = function()
  return wrk.format("GET", "/cases/" .. math.random(1, $CASES))
end
LUA
cat >"$DIR/desk_director.lua" <<LUA
wrk.headers["Cookie"] = "$DIR_COOKIE"
LUA
cat >"$DIR/desk_mediator.lua" <<LUA
wrk.headers["Cookie"] = "$DESK_MED_COOKIE"
LUA
cat >"$DIR/get.lua" <<LUA
wrk.method = "GET"
LUA
cat >"$DIR/insert.lua" <<LUA
wrk.method = "POST"
LUA

# run NAME SCRIPT PATH: prints "NAME rps p99_ms errors"
run() {
  local out rps p99 non2xx
  out=$(wrk -t2 -c"$CONNS" -d"$DURATION" --latency -s "$2" "$BASE$3")
  rps=$(echo "$out" | awk '/Requests\/sec/ {print $2}')
  p99=$(echo "$out" | awk '$1=="99%" {v=$2; if (v ~ /us$/) {sub(/us/,"",v); v=v/1000} else if (v ~ /ms$/) {sub(/ms/,"",v)} else if (v ~ /s$/) {sub(/s/,"",v); v=v*1000}; print v}')
  non2xx=$(echo "$out" | awk '/Non-2xx/ {print $5}')
  echo "$1 $rps $p99 ${non2xx:-0}"
}

echo "cases=$CASES connections=$CONNS duration=$DURATION" >&2
# The reads first, on the seed as generated; then the writes (which add cases to the street the
# lists read).
{
  run baseline_select "$DIR/select.lua" /bench/select/1
  run baseline_page "$DIR/get.lua" "/bench/page?status=resolved&unit_id=2"
  run list "$DIR/auth.lua" "/api/v1/cases?status=resolved&unit_id=2&per_page=50"
  run list_open "$DIR/auth.lua" "/api/v1/cases?status=mediating&per_page=50"
  run list_street "$DIR/auth.lua" "/api/v1/cases?unit_id=2&per_page=50"
  run detail "$DIR/detail.lua" /api/v1/cases/1
  # The pages and their JSON counterparts (the list's first page, as each opens).
  run list_json "$DIR/auth.lua" /api/v1/cases
  run desk_director "$DIR/desk_director.lua" /
  run desk_mediator "$DIR/desk_mediator.lua" /
  run list_page "$DIR/page_med.lua" /cases
  run detail_page "$DIR/page_detail.lua" /cases/1
  run baseline_insert "$DIR/insert.lua" /bench/insert
  run intake "$DIR/intake.lua" /api/v1/cases
} >"$DIR/results.txt"
RSS=$(awk '/VmHWM/ {print $2}' "/proc/$SERVER/status")

awk -v rss="$RSS" '
  { rps[$1]=$2; p99[$1]=$3; err[$1]=$4 }
  END {
    printf "| route | requests/s | p99 ms | non-2xx | ratio to baseline |\n|---|---|---|---|---|\n"
    printf "| baseline insert | %.0f | %.1f | %d | 1.00 |\n", rps["baseline_insert"], p99["baseline_insert"], err["baseline_insert"]
    printf "| intake (POST /cases) | %.0f | %.1f | %d | %.2f of insert |\n", rps["intake"], p99["intake"], err["intake"], rps["intake"]/rps["baseline_insert"]
    printf "| baseline select | %.0f | %.1f | %d | 1.00 |\n", rps["baseline_select"], p99["baseline_select"], err["baseline_select"]
    printf "| baseline page (one select of the same 50 rows) | %.0f | %.1f | %d | %.2f of select |\n", rps["baseline_page"], p99["baseline_page"], err["baseline_page"], rps["baseline_page"]/rps["baseline_select"]
    printf "| list (50 rows, status=resolved: ~22k matches) | %.0f | %.1f | %d | %.2f of select, %.2f of page |\n", rps["list"], p99["list"], err["list"], rps["list"]/rps["baseline_select"], rps["list"]/rps["baseline_page"]
    printf "| list (50 rows, open cases) | %.0f | %.1f | %d | %.2f of select |\n", rps["list_open"], p99["list_open"], err["list_open"], rps["list_open"]/rps["baseline_select"]
    printf "| list (50 rows, a street: every status, ~33k cases) | %.0f | %.1f | %d | %.2f of select |\n", rps["list_street"], p99["list_street"], err["list_street"], rps["list_street"]/rps["baseline_select"]
    printf "| detail (GET /cases/{id}) | %.0f | %.1f | %d | %.2f of select |\n", rps["detail"], p99["detail"], err["detail"], rps["detail"]/rps["baseline_select"]
    printf "\n| page (signed in) | requests/s | p99 ms | non-2xx | ratio to its JSON |\n|---|---|---|---|---|\n"
    printf "| JSON list, first page (GET /api/v1/cases) | %.0f | %.1f | %d | 1.00 |\n", rps["list_json"], p99["list_json"], err["list_json"]
    printf "| desk, director (GET /) | %.0f | %.1f | %d | %.2f of JSON list |\n", rps["desk_director"], p99["desk_director"], err["desk_director"], rps["desk_director"]/rps["list_json"]
    printf "| desk, mediator (GET /) | %.0f | %.1f | %d | %.2f of JSON list |\n", rps["desk_mediator"], p99["desk_mediator"], err["desk_mediator"], rps["desk_mediator"]/rps["list_json"]
    printf "| case list page, first page (GET /cases) | %.0f | %.1f | %d | %.2f of JSON list |\n", rps["list_page"], p99["list_page"], err["list_page"], rps["list_page"]/rps["list_json"]
    printf "| case page (GET /cases/{id}) | %.0f | %.1f | %d | %.2f of JSON detail |\n", rps["detail_page"], p99["detail_page"], err["detail_page"], rps["detail_page"]/rps["detail"]
    printf "\nserver peak RSS: %.1f MB\n", rss/1024
  }' "$DIR/results.txt"
