#!/usr/bin/env bash
# Briefing benchmark at national scale: generate synthetic case data with
# `ketenregie genereer`, start the release binary on it, and measure
# POST /api/v1/briefings/_zoek by BSN and by name + date of birth at 1 and 32 concurrent
# connections with wrk (closed loop; p50/p95/p99 from wrk's histogram).
#
#   benches/load/briefing.sh                      # PostgreSQL, 300k families
#   BACKEND=sqlite GEZINNEN=100000 benches/load/briefing.sh
#
# Environment (all optional):
#   BACKEND=postgres|sqlite
#   GEZINNEN=300000 POLITIE=100000 INCIDENTEN=3000000   data size (persons = 3 x GEZINNEN + POLITIE)
#   DURATION=20 CONCURRENCY="1 32"
#   KEEP=1      keep the database (PostgreSQL: ketenregie_bench_briefing; SQLite: target/bench-briefing/)
#   REUSE=1     reuse a kept database instead of generating
#   SKIP_BUILD=1
#   BIN=path/to/ketenregie   measure another build (e.g. the one before a change) on the same data
#   DB=name                  the PostgreSQL database (default ketenregie_bench_briefing)
#   WIJZEN="bsn naam"        which searches to measure
#   ALLEEN_GENEREREN=1       generate (with KEEP=1) and stop, to measure builds later with REUSE=1
#   WORK=dir                 where the configuration, the keys, the SQLite database and the log go
set -euo pipefail
BACKEND=${BACKEND:-postgres}
GEZINNEN=${GEZINNEN:-300000}
POLITIE=${POLITIE:-100000}
INCIDENTEN=${INCIDENTEN:-3000000}
DURATION=${DURATION:-20}
CONCURRENCY=${CONCURRENCY:-"1 32"}
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
BIN=${BIN:-"$ROOT/target/release/ketenregie"}
WORK=${WORK:-"$ROOT/target/bench-briefing"}
DB=${DB:-ketenregie_bench_briefing}
log() { printf '[%s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }
command -v wrk >/dev/null || die "wrk not found: apt-get install -y wrk"
[[ ${SKIP_BUILD:-0} == 1 ]] || (cd "$ROOT" && cargo build --release -q)
mkdir -p "$WORK"
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()')
if [[ $BACKEND == postgres ]]; then
    URL="postgres://postgres@127.0.0.1:5432/$DB"
    if [[ ${REUSE:-0} != 1 ]]; then
        psql -q -h 127.0.0.1 -U postgres -d postgres -c "DROP DATABASE IF EXISTS $DB WITH (FORCE)" -c "CREATE DATABASE $DB"
    fi
else
    URL="sqlite://$WORK/briefing.db"
    [[ ${REUSE:-0} == 1 ]] || rm -f "$WORK"/briefing.db*
fi
cat > "$WORK/config.toml" <<TOML
[server]
bind = "127.0.0.1:$PORT"
[database]
url = "$URL"
pool_size = 16
[auth]
dev_secret_file = "$WORK/dev-secret"
# Benchmarks measure throughput: long-lived tokens, no rate limits or quota (README "Limieten").
max_lifetime_seconds = 14400
[limits]
client_per_second = 0
user_per_second = 0
briefings_per_day = 0
person_lookups_per_day = 0
[log]
filter = "warn"
TOML
export KETENREGIE_CONFIG="$WORK/config.toml"
SERVER_PID=
cleanup() {
    [[ -n $SERVER_PID ]] && kill "$SERVER_PID" 2>/dev/null || true
    if [[ ${KEEP:-0} != 1 && $BACKEND == postgres ]]; then
        psql -q -h 127.0.0.1 -U postgres -d postgres -c "DROP DATABASE IF EXISTS $DB WITH (FORCE)" || true
    fi
}
trap cleanup EXIT
if [[ ${REUSE:-0} != 1 ]]; then
    log "generating $GEZINNEN families, $POLITIE police records, $INCIDENTEN incidents on $BACKEND"
    t0=$SECONDS
    "$BIN" genereer --gezinnen "$GEZINNEN" --politie-personen "$POLITIE" --incidenten "$INCIDENTEN" --sleutels "$WORK/sleutels.csv"
    log "generated in $((SECONDS - t0)) s"
    # Planner statistics, as keten.py (and an operator following SQLite's `PRAGMA optimize`)
    # leave them: a plan must hold with them, not only without.
    if [[ $BACKEND == postgres ]]; then
        psql -q -h 127.0.0.1 -U postgres -d "$DB" -c "VACUUM ANALYZE"
    else
        sqlite3 "$WORK/briefing.db" "ANALYZE"
    fi
    [[ ${ALLEEN_GENEREREN:-0} == 1 ]] && exit 0
fi
"$BIN" serve > "$WORK/server.log" 2>&1 &
SERVER_PID=$!
for _ in $(seq 1 300); do curl -fs -o /dev/null "http://127.0.0.1:$PORT/health/ready" 2>/dev/null && break; sleep 0.2; done
curl -fs -o /dev/null "http://127.0.0.1:$PORT/health/ready" || { cat "$WORK/server.log"; die "server not ready"; }
BEHEER=$("$BIN" token --organisatie politie-bench --rol functioneel-beheerder)
# The agreement that lets the police read the GI's records for a briefing (once per
# database): made by the police's functional admin, signed by both parties on its exact
# content (`inhoudHash`); it binds once every party has signed.
AANTAL=$(curl -fsS "http://127.0.0.1:$PORT/api/v1/convenanten" -H "Authorization: Bearer $BEHEER" | python3 -c 'import json,sys; print(len([c for c in json.load(sys.stdin)["results"] if c["status"] != "concept"]))')
if [[ $AANTAL == 0 ]]; then
    ID=$(curl -fsS -X POST "http://127.0.0.1:$PORT/api/v1/convenanten" -H "Authorization: Bearer $BEHEER" -H 'Content-Type: application/json' -d '{
      "titel": "Benchmark: briefing", "partijen": [{"organisatie": "politie-bench", "rol": "politie"}, {"organisatie": "gi-bench", "rol": "gi"}],
      "doelen": ["briefing"], "categorieen": ["identificatie", "gezinssituatie", "gezag-en-omgang", "hulpverlening"],
      "regels": [{"organisatieSoort": "politie", "rollen": ["noodhulp"], "acties": ["lezen"], "categorieen": ["identificatie", "gezinssituatie", "gezag-en-omgang", "hulpverlening"],
                  "doel": "briefing", "maxVertrouwelijkheid": "vertrouwelijk", "grondslag": {"code": "Wpg art. 18", "omschrijving": "briefing"}}]}' | python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])')
    for ORG in politie-bench gi-bench; do
        FB=$("$BIN" token --organisatie "$ORG" --rol functioneel-beheerder)
        HASH=$(curl -fsS "http://127.0.0.1:$PORT/api/v1/convenanten/$ID" -H "Authorization: Bearer $FB" | python3 -c 'import json,sys; print(json.load(sys.stdin)["inhoudHash"])')
        curl -fsS -o /dev/null -X POST "http://127.0.0.1:$PORT/api/v1/convenanten/$ID/ondertekeningen" -H "Authorization: Bearer $FB" -H 'Content-Type: application/json' -d "{\"inhoudHash\": \"$HASH\"}"
    done
fi
export TOKEN=$("$BIN" token --organisatie politie-bench --rol noodhulp --geldig-minuten 120)
export SLEUTELS="$WORK/sleutels.csv"
# A sanity check: a briefing with incidents, decisions and the GI as involved organisation.
BSN=$(sed -n 2p "$SLEUTELS" | cut -d, -f1)
curl -fsS -X POST "http://127.0.0.1:$PORT/api/v1/briefings/_zoek" -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json' -d "{\"bsn\":\"$BSN\"}" \
  | python3 -c 'import json,sys; b=json.load(sys.stdin); print("sample briefing: incidents", b["incidenten"]["totaal"], "decisions", len(b["beschikkingenInWerking"]), "organisations", len(b["betrokkenOrganisaties"]), "persons", len(b["personen"])+len(b["gezinsleden"]))' >&2
case $BACKEND in
    postgres) psql -h 127.0.0.1 -U postgres -d "$DB" -Atc "SELECT 'rows: personen=' || (SELECT count(*) FROM personen) || ' gezinnen=' || (SELECT count(*) FROM gezinnen) || ' incidenten=' || (SELECT count(*) FROM incidenten)" >&2 ;;
    sqlite) python3 -c "import sqlite3; c=sqlite3.connect('$WORK/briefing.db'); print('rows:', *[f'{t}={c.execute(f\"SELECT count(*) FROM {t}\").fetchone()[0]}' for t in ['personen','gezinnen','incidenten']])" >&2 ;;
esac
echo "machine: $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg) at start; binary $BIN" >&2
for wijze in ${WIJZEN:-bsn naam}; do
    for c in $CONCURRENCY; do
        export WIJZE=$wijze
        t=1; [[ $c -gt 1 ]] && t=2
        wrk -t1 -c"$c" -d2s -s "$ROOT/benches/load/briefing.lua" "http://127.0.0.1:$PORT" >/dev/null
        r=$(wrk -t$t -c"$c" -d"${DURATION}s" -s "$ROOT/benches/load/briefing.lua" "http://127.0.0.1:$PORT" | grep '^RESULT')
        echo "$BACKEND by=$wijze c=$c ${r#RESULT }"
    done
done
