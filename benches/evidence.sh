#!/usr/bin/env bash
# The evidence benchmark of docs/benchmarks.md: uploads and downloads of one file N times through
# the JSON API of the release binary, for a 1 MB and a 10 MB file, each size on a fresh server,
# reporting MB/s each way and the server's peak resident memory (VmHWM, reset once the server is
# up, so it is the peak of the uploads and downloads) after each run. A file is
# streamed into and out of the database one 256 KiB chunk at a time, so the peak must stay about
# the same for both sizes (it must not grow about tenfold with the file).
#
#   benches/evidence.sh                       # N=20, SQLite
#   N=50 benches/evidence.sh
#   BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/evbench benches/evidence.sh
#                                             # an EMPTY PostgreSQL database (the demo fills it)
#
# BIN=path/to/tiaojie runs a binary built elsewhere (no build here). Needs curl.
set -euo pipefail
cd "$(dirname "$0")/.."

N=${N:-20}
PORT=${PORT:-18090}
TARGET=${CARGO_TARGET_DIR:-target}
DIR="$TARGET/bench-evidence"
BIN=${BIN:-}
BASE="http://127.0.0.1:$PORT"

if [ -z "$BIN" ]; then
  cargo build --release --quiet
  BIN="$TARGET/release/tiaojie"
fi
mkdir -p "$DIR"

# One file per size: a PDF header, then random bytes (incompressible, like a scan).
make_file() {
  local mb=$1 out="$DIR/file-$1mb.pdf"
  if [ ! -f "$out" ]; then
    { printf '%%PDF-1.4\n'; head -c $((mb * 1024 * 1024 - 9)) /dev/urandom; } >"$out"
  fi
  echo "$out"
}

# Peak resident memory of the server process, in KiB.
peak_kb() { awk '/^VmHWM:/ {print $2}' "/proc/$1/status"; }

now() { date +%s.%N; }

run_size() {
  local mb=$1 file url server
  file=$(make_file "$mb")
  if [ -n "${BENCH_DATABASE_URL:-}" ]; then
    url=$BENCH_DATABASE_URL
    # The demo fills the empty database once (a marker per URL); both sizes then share it.
    local ready
    ready="$DIR/pg-$(printf '%s' "$url" | sha256sum | cut -c1-12).ready"
    if [ ! -f "$ready" ]; then
      TIAOJIE_DATABASE_URL="$url" "$BIN" demo --cases 20 --consultations 10 >/dev/null
      touch "$ready"
    fi
  else
    rm -f "$DIR/run.db" "$DIR/run.db-wal" "$DIR/run.db-shm"
    url="sqlite://$DIR/run.db"
    TIAOJIE_DATABASE_URL="$url" "$BIN" demo --cases 20 --consultations 10 >/dev/null
  fi
  TIAOJIE_DATABASE_URL="$url" TIAOJIE_BIND="127.0.0.1:$PORT" TIAOJIE_REMINDER_INTERVAL=0 \
    TIAOJIE_LOG=warn "$BIN" serve >"$DIR/server-$mb.log" 2>&1 &
  server=$!
  for _ in $(seq 1 100); do curl -fs "$BASE/healthz" >/dev/null && break; sleep 0.1; done
  local token case_id idle
  token=$(curl -fs -X POST "$BASE/api/v1/auth/login" -H 'content-type: application/json' \
    -d '{"username":"director1","password":"tiaojie-demo"}' | sed 's/.*"token":"\([^"]*\)".*/\1/')
  case_id=$(curl -fs "$BASE/api/v1/cases?per_page=1" -H "Authorization: Bearer $token" |
    sed 's/^{"items":\[{"id":\([0-9]*\).*/\1/')
  idle=$(peak_kb "$server")
  # Reset the high-water mark (Linux: clear_refs 5), so that the peak is this run's uploads and
  # downloads rather than the start-up's (migrations, the first queries).
  echo 5 >"/proc/$server/clear_refs" 2>/dev/null || true

  local t0 t1 id
  t0=$(now)
  for _ in $(seq 1 "$N"); do
    id=$(curl -fs -X POST "$BASE/api/v1/cases/$case_id/evidence" -H "Authorization: Bearer $token" \
      -F "file=@$file" -F "title=bench" -F "provided_by=center" | sed 's/^{"id":\([0-9]*\).*/\1/')
  done
  t1=$(now)
  local up_s down_s
  up_s=$(echo "$t1 - $t0" | bc -l)
  t0=$(now)
  for _ in $(seq 1 "$N"); do
    curl -fs -o /dev/null "$BASE/api/v1/evidence/$id/file" -H "Authorization: Bearer $token"
  done
  t1=$(now)
  down_s=$(echo "$t1 - $t0" | bc -l)
  local peak
  peak=$(peak_kb "$server")
  kill "$server"
  wait "$server" 2>/dev/null || true
  printf '%5d MB  x%-4d upload %7.1f MB/s   download %7.1f MB/s   peak RSS %6.1f MB (at start %5.1f MB)\n' \
    "$mb" "$N" "$(echo "$N * $mb / $up_s" | bc -l)" "$(echo "$N * $mb / $down_s" | bc -l)" \
    "$(echo "$peak / 1024" | bc -l)" "$(echo "$idle / 1024" | bc -l)"
}

command -v bc >/dev/null || { echo "needs bc: apt-get install bc" >&2; exit 1; }
if [ -n "${BENCH_DATABASE_URL:-}" ]; then echo "backend: postgres"; else echo "backend: sqlite"; fi
run_size 1
run_size 10
