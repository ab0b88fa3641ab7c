#!/usr/bin/env bash
# The werkplek's briefing page next to the API's briefing, same run, same data: the demo
# region (`ketenregie demo`, SQLite), the release binary, wrk at 32 connections (closed
# loop), the same BSN (the demo family with history) through
#   POST /api/v1/briefings/_zoek            (JSON, a development token)
#   POST /werkplek/briefing                 (a form, a werkplek session and its CSRF token)
# Both run the same use case with the same decision and log rows; the page adds the
# session look-up and the HTML rendering. The two alternate (API, page, API, page, ...:
# ROUNDS rounds), so a change in the machine's load during the run falls on both; each
# result line carries the load average at its start. Results: benches/load/WERKPLEK.md.
#
#   benches/load/werkplek.sh        (DURATION=15 CONNECTIONS=32 ROUNDS=2 SKIP_BUILD=1 BIN=...)
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
BIN=${BIN:-"$ROOT/target/release/ketenregie"}
WORK="$ROOT/target/bench-werkplek"
DURATION=${DURATION:-15}
CONNECTIONS=${CONNECTIONS:-32}
ROUNDS=${ROUNDS:-2}
BSN=999990032
command -v wrk >/dev/null || { echo "wrk not found: apt-get install -y wrk" >&2; exit 1; }
[[ ${SKIP_BUILD:-0} == 1 ]] || (cd "$ROOT" && cargo build --release -q --bin ketenregie)
rm -rf "$WORK" && mkdir -p "$WORK"
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()')
cat > "$WORK/config.toml" <<TOML
[server]
bind = "127.0.0.1:$PORT"
[database]
url = "sqlite://$WORK/demo.db"
[auth]
dev_secret_file = "$WORK/dev-secret"
[limits]
client_per_second = 0
user_per_second = 0
briefings_per_day = 0
person_lookups_per_day = 0
[scanner]
enabled = false
[dispatcher]
enabled = false
[log]
filter = "warn"
TOML
export KETENREGIE_CONFIG="$WORK/config.toml"
eval "$("$BIN" demo)"
"$BIN" serve > "$WORK/serve.log" 2>&1 &
SERVER=$!
trap 'kill $SERVER 2>/dev/null || true' EXIT
BASE="http://127.0.0.1:$PORT"
for _ in $(seq 1 60); do curl -fsS "$BASE/health/ready" >/dev/null 2>&1 && break; sleep 0.5; done
# A werkplek session for the noodhulp demo role, through the sign-in page.
PAGINA=$(curl -fsS -c "$WORK/jar" "$BASE/werkplek/aanmelden")
TOKEN=$(printf '%s' "$PAGINA" | grep -o 'name="_csrf" value="[0-9a-f]*"' | head -1 | cut -d'"' -f4)
curl -fsS -b "$WORK/jar" -c "$WORK/jar" -o /dev/null -d "_csrf=$TOKEN&rol=noodhulp" "$BASE/werkplek/aanmelden"
SESSIE=$(awk '$6 == "werkplek_sessie" {print $7}' "$WORK/jar")
CSRF=$(curl -fsS -H "Cookie: werkplek_sessie=$SESSIE" "$BASE/werkplek/briefing" | grep -o 'name="_csrf" value="[0-9a-f]*"' | head -1 | cut -d'"' -f4)
# Both answer the briefing (not a redirect to the sign-in page, which wrk would count as
# a success).
curl -fsS -H "Cookie: werkplek_sessie=$SESSIE" -d "_csrf=$CSRF&bsn=$BSN" "$BASE/werkplek/briefing" | grep -q 'id="uitkomst-kop">Gevonden' \
    || { echo "the werkplek's briefing page did not answer the briefing" >&2; exit 1; }
curl -fsS -H "Authorization: Bearer $NOODHULP" -H 'Content-Type: application/json' -d "{\"bsn\":\"$BSN\"}" "$BASE/api/v1/briefings/_zoek" | grep -q '"gevonden":true' \
    || { echo "the API's briefing did not find the family" >&2; exit 1; }
echo "machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GB", $2/1048576}' /proc/meminfo); data: the demo region (SQLite)"
for ronde in $(seq 1 "$ROUNDS"); do
    for doel in api werkplek; do
        # Warm-up, then the measured run.
        DOEL=$doel BSN=$BSN TOKEN=$NOODHULP COOKIE="werkplek_sessie=$SESSIE" CSRF=$CSRF \
            wrk -t2 -c"$CONNECTIONS" -d2s -s "$ROOT/benches/load/werkplek.lua" "$BASE" >/dev/null
        last=$(cut -d' ' -f1 /proc/loadavg)
        DOEL=$doel BSN=$BSN TOKEN=$NOODHULP COOKIE="werkplek_sessie=$SESSIE" CSRF=$CSRF \
            wrk -t2 -c"$CONNECTIONS" -d"${DURATION}s" --latency -s "$ROOT/benches/load/werkplek.lua" "$BASE" \
            | grep RESULT | sed "s/^RESULT /RESULT ronde=$ronde load=$last /"
    done
done
