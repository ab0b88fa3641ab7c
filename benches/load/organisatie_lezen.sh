#!/usr/bin/env bash
# Load benchmark: GET /api/v1/organisaties/{id} with a valid token, against the release
# binary, on SQLite and on PostgreSQL. Prints throughput and p50/p99 latency per
# backend and concurrency, with the number of organisations in the database.
#
#   benches/load/organisatie_lezen.sh
#
# Environment (all optional):
#   ORGS=10000          organisations seeded through the API before measuring
#   DURATION=20         seconds per measured run
#   WARMUP=2            seconds of unmeasured load before each run (0 = none)
#   CONCURRENCY="1 32"  connections, one measured run each
#   BACKENDS="sqlite postgres"
#   PGHOST=127.0.0.1 PGPORT=5432 PGUSER=postgres   PostgreSQL to create a fresh database on
#   SEED_WORKERS=4      parallel keep-alive connections for seeding
#   SKIP_BUILD=1        use the existing target/release/ketenregie
#
# Load generator: wrk (Debian package `wrk`), one thread, closed loop: each connection
# sends its next request when the previous answer has arrived. Latency percentiles come
# from wrk's own histogram (microsecond resolution) via a Lua `done` hook. If wrk is
# missing and we are root, it is installed with apt-get; otherwise the script says how
# and stops.
#
# All traffic goes to 127.0.0.1. Every wait is bounded in time. The server, the temp dir
# and the PostgreSQL database are removed on exit, also on failure or Ctrl-C.
set -euo pipefail

ORGS=${ORGS:-10000}
DURATION=${DURATION:-20}
WARMUP=${WARMUP:-2}
CONCURRENCY=${CONCURRENCY:-"1 32"}
BACKENDS=${BACKENDS:-"sqlite postgres"}
PGHOST=${PGHOST:-127.0.0.1}
PGPORT=${PGPORT:-5432}
PGUSER=${PGUSER:-postgres}
SEED_WORKERS=${SEED_WORKERS:-4}

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
HERE="$ROOT/benches/load"
BIN="$ROOT/target/release/ketenregie"

log() { printf '[%s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }

for v in ORGS DURATION WARMUP SEED_WORKERS; do
    [[ ${!v} =~ ^[0-9]+$ ]] || die "$v must be a whole number, got '${!v}'"
done
for c in $CONCURRENCY; do [[ $c =~ ^[1-9][0-9]*$ ]] || die "CONCURRENCY: '$c' is not a positive number"; done
[[ $ORGS -ge 1 && $DURATION -ge 1 ]] || die "ORGS and DURATION must be at least 1"
case "$PGHOST" in 127.0.0.1|localhost) ;; *) die "PGHOST must be 127.0.0.1 (local traffic only)";; esac

# --- load generator -------------------------------------------------------------------
if ! command -v wrk >/dev/null 2>&1; then
    if [[ $(id -u) -eq 0 ]] && command -v apt-get >/dev/null 2>&1; then
        log "wrk not found; installing it: apt-get update && apt-get install -y wrk"
        timeout 600 apt-get update -qq >&2
        DEBIAN_FRONTEND=noninteractive timeout 600 apt-get install -y -qq wrk >&2
    else
        die "wrk not found. Install it with: sudo apt-get update && sudo apt-get install -y wrk"
    fi
fi
command -v python3 >/dev/null || die "python3 is needed for the seeding script"
command -v curl >/dev/null || die "curl is needed"

# --- build ----------------------------------------------------------------------------
cd "$ROOT"
if [[ -z ${SKIP_BUILD:-} ]]; then
    log "cargo build --release --locked"
    cargo build --release --locked >&2
fi
[[ -x $BIN ]] || die "$BIN missing (build failed?)"

# --- temp state and cleanup -----------------------------------------------------------
WORK=$(mktemp -d "${TMPDIR:-/tmp}/ketenregie-bench.XXXXXX")
SERVER_PID=""
PGDB=""

stop_server() {
    [[ -n $SERVER_PID ]] || return 0
    if kill -0 "$SERVER_PID" 2>/dev/null; then
        kill -TERM "$SERVER_PID" 2>/dev/null || true
        for _ in $(seq 1 100); do kill -0 "$SERVER_PID" 2>/dev/null || break; sleep 0.1; done
        kill -0 "$SERVER_PID" 2>/dev/null && kill -KILL "$SERVER_PID" 2>/dev/null || true
    fi
    wait "$SERVER_PID" 2>/dev/null || true
    SERVER_PID=""
}

drop_pgdb() {
    [[ -n $PGDB ]] || return 0
    timeout 60 psql -X -q -h "$PGHOST" -p "$PGPORT" -U "$PGUSER" -d postgres -v ON_ERROR_STOP=1 \
        -c "DROP DATABASE IF EXISTS \"$PGDB\" WITH (FORCE)" >&2 \
        || log "WARNING: could not drop database $PGDB"
    PGDB=""
}

cleanup() {
    stop_server
    drop_pgdb
    rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# CPU time the hypervisor gave to other guests ("steal"), from /proc/stat: on a shared VM
# it is what most often makes one run differ from the next, so each run reports it.
cpu_ticks() { awk '/^cpu /{t=0; for (i=2; i<=NF; i++) t+=$i; print t, $9; exit}' /proc/stat; }
steal_pct() { # steal_pct "TOTAL0 STEAL0" "TOTAL1 STEAL1"
    awk -v a="$1" -v b="$2" 'BEGIN { split(a, x, " "); split(b, y, " ");
        d = y[1] - x[1]; r = 0; if (d > 0) r = 100 * (y[2] - x[2]) / d; printf "%.0f", r }'
}

free_port() {
    python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}

# wrk prints one machine-readable line at the end (latency in microseconds).
cat >"$WORK/report.lua" <<'LUA'
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    "RESULT requests=%d duration_us=%d p50_us=%.0f p99_us=%.0f errors=%d non2xx=%d\n",
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(99),
    e.connect + e.read + e.write + e.timeout, e.status))
end
LUA

ROWS="$WORK/rows.tsv"
: >"$ROWS"

# --- one backend ----------------------------------------------------------------------
# run_backend NAME DATABASE_URL
run_backend() {
    local name=$1 dburl=$2 port base
    port=$(free_port)
    base="http://127.0.0.1:$port"
    export KETENREGIE_SERVER__BIND="127.0.0.1:$port"
    export KETENREGIE_DATABASE__URL="$dburl"
    export KETENREGIE_AUTH__DEV_SECRET_FILE="$WORK/secret"
    export KETENREGIE_LOG__FILTER=warn
    # Throughput, not limits: long-lived tokens, rate limits off (README "Limieten").
    export KETENREGIE_AUTH__MAX_LIFETIME_SECONDS=14400
    export KETENREGIE_LIMITS__CLIENT_PER_SECOND=0
    export KETENREGIE_LIMITS__USER_PER_SECOND=0

    log "$name: starting $BIN serve on $base"
    "$BIN" serve >"$WORK/server-$name.log" 2>&1 &
    SERVER_PID=$!

    local deadline=$((SECONDS + 90))
    until curl -fs -o /dev/null --max-time 2 "$base/health/ready" 2>/dev/null; do
        kill -0 "$SERVER_PID" 2>/dev/null || { cat "$WORK/server-$name.log" >&2; die "$name: server exited"; }
        [[ $SECONDS -lt $deadline ]] || { cat "$WORK/server-$name.log" >&2; die "$name: not ready after 90 s"; }
        sleep 0.2
    done
    log "$name: ready"

    # Tokens live 4 hours; each is reused for all its requests (allowed: same token, same jti).
    local admin reader
    admin=$("$BIN" token --organisatie ketenregie-platform --rol platformbeheerder --geldig-minuten 240)
    reader=$("$BIN" token --organisatie politie-den-haag --rol noodhulp --geldig-minuten 240)

    log "$name: seeding $ORGS organisations ($SEED_WORKERS keep-alive connections)"
    local out id count
    out=$(python3 "$HERE/seed.py" --base "$base" --token "$admin" --count "$ORGS" \
        --workers "$SEED_WORKERS" --deadline 1800) || die "$name: seeding failed"
    id=$(sed -n 1p <<<"$out")
    count=$(sed -n 2p <<<"$out")
    [[ -n $id && $count =~ ^[0-9]+$ ]] || die "$name: seeding printed no id/count: $out"

    local url="$base/api/v1/organisaties/$id" status
    status=$(curl -s -o /dev/null -w '%{http_code}' --max-time 10 -H "Authorization: Bearer $reader" "$url")
    [[ $status == 200 ]] || die "$name: GET $url answered $status, not 200"
    log "$name: target $url ($count organisations in the database)"

    local c threads res requests dur p50 p99 errs non2xx rps t0 t1
    for c in $CONCURRENCY; do
        threads=1
        if [[ $WARMUP -gt 0 ]]; then
            timeout $((WARMUP + 30)) wrk -t"$threads" -c"$c" -d"${WARMUP}s" --timeout 10s \
                -H "Authorization: Bearer $reader" "$url" >/dev/null
        fi
        log "$name: concurrency $c, ${DURATION} s"
        t0=$(cpu_ticks)
        res=$(timeout $((DURATION + 60)) wrk -t"$threads" -c"$c" -d"${DURATION}s" --timeout 10s \
            -H "Authorization: Bearer $reader" -s "$WORK/report.lua" "$url")
        t1=$(cpu_ticks)
        printf '%s\n' "$res" | sed 's/^/    /' >&2
        res=$(grep '^RESULT ' <<<"$res") || die "$name: wrk printed no RESULT line"
        requests=$(sed -E 's/.* requests=([0-9]+).*/\1/' <<<"$res")
        dur=$(sed -E 's/.* duration_us=([0-9]+).*/\1/' <<<"$res")
        p50=$(sed -E 's/.* p50_us=([0-9]+).*/\1/' <<<"$res")
        p99=$(sed -E 's/.* p99_us=([0-9]+).*/\1/' <<<"$res")
        errs=$(sed -E 's/.* errors=([0-9]+).*/\1/' <<<"$res")
        non2xx=$(sed -E 's/.* non2xx=([0-9]+).*/\1/' <<<"$res")
        rps=$(awk -v r="$requests" -v d="$dur" 'BEGIN { printf "%.0f", r / (d / 1e6) }')
        printf '%s\t%s\t%s\t%s\t%s\t%.2f\t%.2f\t%s\t%s\n' "$name" "$count" "$c" "$rps" "$requests" \
            "$(awk -v x="$p50" 'BEGIN{print x/1000}')" "$(awk -v x="$p99" 'BEGIN{print x/1000}')" \
            "$((errs + non2xx))" "$(steal_pct "$t0" "$t1")" >>"$ROWS"
    done

    stop_server
    # The development-mode warning is expected; anything else is worth a look.
    if grep -iE 'error|warn' "$WORK/server-$name.log" | grep -qv 'DEVELOPMENT MODE'; then
        log "$name: the server logged warnings/errors (first 20 lines):"
        grep -iE 'error|warn' "$WORK/server-$name.log" | grep -v 'DEVELOPMENT MODE' | head -20 >&2
    fi
    unset KETENREGIE_SERVER__BIND KETENREGIE_DATABASE__URL KETENREGIE_AUTH__DEV_SECRET_FILE KETENREGIE_LOG__FILTER \
        KETENREGIE_AUTH__MAX_LIFETIME_SECONDS KETENREGIE_LIMITS__CLIENT_PER_SECOND KETENREGIE_LIMITS__USER_PER_SECOND
}

# --- run ------------------------------------------------------------------------------
log "binary: $BIN (source $(git -C "$ROOT" describe --always --dirty 2>/dev/null || echo unknown))"
log "orgs=$ORGS duration=${DURATION}s warmup=${WARMUP}s concurrency='$CONCURRENCY' backends='$BACKENDS'"
SKIPPED=()
for backend in $BACKENDS; do
    case "$backend" in
    sqlite)
        run_backend sqlite "sqlite://$WORK/ketenregie.db"
        ;;
    postgres)
        if ! timeout 10 pg_isready -q -h "$PGHOST" -p "$PGPORT"; then
            log "SKIPPED postgres: pg_isready -h $PGHOST -p $PGPORT says PostgreSQL is not accepting connections"
            SKIPPED+=("postgres (pg_isready failed on $PGHOST:$PGPORT)")
            continue
        fi
        PGDB="ketenregie_bench_$$_$(date +%s)"
        timeout 60 psql -X -q -h "$PGHOST" -p "$PGPORT" -U "$PGUSER" -d postgres -v ON_ERROR_STOP=1 \
            -c "CREATE DATABASE \"$PGDB\"" >&2 || die "could not create database $PGDB"
        log "postgres: created database $PGDB"
        run_backend postgres "postgres://$PGUSER@$PGHOST:$PGPORT/$PGDB"
        drop_pgdb
        ;;
    *) die "unknown backend '$backend' (sqlite, postgres)" ;;
    esac
done

# --- report ---------------------------------------------------------------------------
echo
echo "GET /api/v1/organisaties/{id} with a valid bearer token; wrk $(wrk -v 2>&1 | awk 'NR==1{print $2}'), 1 thread,"
echo "closed loop, ${DURATION} s per run after ${WARMUP} s warm-up; server: release build, default workers and pool."
echo "organisations = the directory's size as GET /api/v1/organisaties reports it: the $ORGS"
echo "seeded plus the Veilig Thuis organisations loaded from the reference data at start-up."
echo "errors = socket errors + non-2xx answers. steal = % of CPU time the hypervisor took for other"
echo "guests during the run (/proc/stat); high steal means slower, noisier figures."
echo "source: $(git -C "$ROOT" describe --always --dirty 2>/dev/null || echo unknown); machine: $(nproc) cores,"
echo "$(awk -F': ' '/^model name/{print $2; exit}' /proc/cpuinfo), $(free -h | awk '/^Mem:/{print $2}') RAM"
echo
printf '| %-8s | %13s | %11s | %10s | %9s | %8s | %8s | %6s | %7s |\n' \
    backend organisations concurrency requests/s requests "p50 (ms)" "p99 (ms)" errors "steal %"
printf '|%s|%s|%s|%s|%s|%s|%s|%s|%s|\n' ---------- --------------: ------------: -----------: ----------: ---------: ---------: -------: --------:
while IFS=$'\t' read -r b n c rps req p50 p99 err st; do
    printf '| %-8s | %13s | %11s | %10s | %9s | %8s | %8s | %6s | %7s |\n' "$b" "$n" "$c" "$rps" "$req" "$p50" "$p99" "$err" "$st"
done <"$ROWS"
for s in "${SKIPPED[@]}"; do echo; echo "SKIPPED: $s"; done
[[ -s $ROWS ]] || die "no measurements"
