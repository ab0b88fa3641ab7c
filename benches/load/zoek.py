#!/usr/bin/env python3
"""The privacy officer's search (`POST /verwerkingen/_zoek`) of a person read very often,
with a large log (issue 17 points 5 and 6), on PostgreSQL. Prints figures with the data
size, the machine's load and the exact commands; asserts nothing. Standard library only;
traffic to 127.0.0.1 only.

    BIN=target/debug/ketenregie python3 benches/load/zoek.py
    BIN=/tmp/ketenregie-voor LABEL=before python3 benches/load/zoek.py   # older code, same data

One fresh database and one service (development mode, limits off):
  1. Veilig Thuis Haaglanden reads a melding of the police about a child (BSN 999990032)
     once through the API: one processing-log row about the child's pseudonym and one
     audit row, in one trace.
  2. SQL (generate_series): VEEL copies of that read's processing-log rows (one per person
     the melding names) and of its audit row (each copy with its own trace), spread over 13 months: the child read VEEL times;
     VULLING processing-log rows about other pseudonyms over the 26 Veilig Thuis
     organisations and the police; WEIGERINGEN refused attempts by an outside organisation
     on the melding (about the child) and as many on other objects (about nobody searched).
     Then VACUUM ANALYZE.
  3. Measured at c=1, N requests each, sequential: the search by BSN (first page), the
     same for the last 30 days, the fifth page by cursor (following `next`), and the
     break-glass list; the p50 and p99 of the wall time per request.
  4. EXPLAIN (ANALYZE, BUFFERS) of the search's queries (as the code writes them).

Environment: BIN (default target/debug/ketenregie), LABEL, VEEL=300000, VULLING=1000000,
WEIGERINGEN=2000, N=20, POOL_SIZE=4, PGHOST=127.0.0.1 PGPORT=5432 PGUSER=postgres.
"""
import http.client, json, os, subprocess, sys, tempfile, time
from datetime import datetime, timedelta, timezone

sys.dont_write_bytecode = True
HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import gemeen  # noqa: E402
from gemeen import MELDING, pctl, token, vrije_poort  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(HERE))
BIN = os.environ.get("BIN", os.path.join(ROOT, "target/debug/ketenregie"))
LABEL = os.environ.get("LABEL", "")
VEEL = int(os.environ.get("VEEL", "300000"))
VULLING = int(os.environ.get("VULLING", "1000000"))
WEIGERINGEN = int(os.environ.get("WEIGERINGEN", "2000"))
N = int(os.environ.get("N", "20"))
POOL = os.environ.get("POOL_SIZE", "4")
PGHOST = os.environ.get("PGHOST", "127.0.0.1")
PGPORT = os.environ.get("PGPORT", "5432")
PGUSER = os.environ.get("PGUSER", "postgres")
if PGHOST not in ("127.0.0.1", "localhost"):
    sys.exit("zoek: PGHOST must be 127.0.0.1 (local traffic only)")
BSN = "999990032"
VT = "veilig-thuis-haaglanden"
POLITIE = "politie-den-haag"
BUITEN = "buitenstaander-bench"
CAT = ["identificatie", "bsn", "gezinssituatie", "politiegegevens", "melder-identiteit"]
COMMANDS = []


def log(*a):
    print(f"[{datetime.now(timezone.utc).strftime('%H:%M:%S')}]", *a, file=sys.stderr, flush=True)


def psql(db, stmt, uit=False):
    cmd = ["psql", "-X", "-q", "-v", "ON_ERROR_STOP=1", "-h", PGHOST, "-p", PGPORT, "-U", PGUSER, "-d", db]
    if uit:
        return subprocess.check_output(cmd + ["-tA", "-c", stmt], text=True).strip()
    subprocess.check_call(cmd + ["-c", stmt], stdout=subprocess.DEVNULL)


def main():
    tmp = tempfile.mkdtemp(prefix="ketenregie-zoek-")
    db = f"zoek_bench_{os.getpid()}_{int(time.time())}"
    psql("postgres", f'CREATE DATABASE "{db}"')
    poort = vrije_poort()
    env = dict(os.environ, KETENREGIE_SERVER__BIND=f"127.0.0.1:{poort}",
               KETENREGIE_DATABASE__URL=f"postgres://{PGUSER}@{PGHOST}:{PGPORT}/{db}",
               KETENREGIE_DATABASE__POOL_SIZE=POOL, KETENREGIE_AUTH__DEV_SECRET_FILE=os.path.join(tmp, "secret"),
               KETENREGIE_LOG__FILTER="warn", KETENREGIE_AUTH__MAX_LIFETIME_SECONDS="14400",
               KETENREGIE_LIMITS__CLIENT_PER_SECOND="0", KETENREGIE_LIMITS__USER_PER_SECOND="0",
               KETENREGIE_LIMITS__BRIEFINGS_PER_DAY="0", KETENREGIE_LIMITS__PERSON_LOOKUPS_PER_DAY="0",
               KETENREGIE_PRIVACY__RETENTION_DAILY="false")
    server = gemeen.start_dienst([BIN, "serve"], env, os.path.join(tmp, "server.log"), "a")
    try:
        gemeen.wacht_op_gereed(server, poort, 300, f"{tmp}/server.log")

        def verzoek(methode, pad, tok, body=None, verwacht=(200, 201)):
            c = http.client.HTTPConnection("127.0.0.1", poort, timeout=300)
            h = {"Authorization": f"Bearer {tok}"}
            data = None
            if body is not None:
                data = json.dumps(body); h["Content-Type"] = "application/json"
            c.request(methode, pad if pad.startswith("/api") else "/api/v1" + pad, body=data, headers=h)
            r = c.getresponse(); inhoud = r.read(); c.close()
            if r.status not in verwacht:
                sys.exit(f"zoek: {methode} {pad}: HTTP {r.status}: {inhoud[:300]!r}")
            return json.loads(inhoud) if inhoud else None

        admin = token(BIN, env, "ketenregie-platform", "platformbeheerder")
        verzoek("POST", "/organisaties", admin, {"code": POLITIE, "naam": "Politie Den Haag", "soort": "politie"})
        verzoek("POST", "/organisaties", admin, {"code": BUITEN, "naam": "Buitenstaander", "soort": "wijkteam", "gemeenten": ["0363"]},
                verwacht=(200, 201, 400, 422))
        # Veilig Thuis reads the police's meldingen (as benches/load/keten.py).
        body = {"titel": "Benchmark zoek", "partijen": [{"organisatie": POLITIE, "rol": "melder"}, {"organisatie": VT, "rol": "ontvanger"}],
                "doelen": ["veiligheidsbeoordeling"], "categorieen": CAT,
                "regels": [{"organisatieSoort": "veilig-thuis", "rollen": ["triagist"], "acties": ["lezen", "wijzigen"],
                            "categorieen": CAT, "doel": "veiligheidsbeoordeling", "maxVertrouwelijkheid": "vertrouwelijk",
                            "grondslag": {"code": "Wmo 2015 art. 4.1.1 lid 2 sub g", "omschrijving": "benchmark"}}]}
        maker = token(BIN, env, POLITIE, "functioneel-beheerder")
        conv = verzoek("POST", "/convenanten", maker, body)
        for partij in (POLITIE, VT):
            t = token(BIN, env, partij, "functioneel-beheerder")
            c = verzoek("GET", f"/convenanten/{conv['id']}", t)
            verzoek("POST", f"/convenanten/{conv['id']}/ondertekeningen", t, {"inhoudHash": c["inhoudHash"]})
        agent = token(BIN, env, POLITIE, "wijkagent")
        vt = token(BIN, env, VT, "triagist")
        fg = token(BIN, env, VT, "privacyfunctionaris")
        m = json.loads(json.dumps(MELDING)); m["kinderen"][0]["bsn"] = BSN
        mid = verzoek("POST", "/zorgmeldingen", agent, m)["id"]
        verzoek("POST", f"/zorgmeldingen/{mid}/indieningen", agent, {})
        verzoek("GET", f"/zorgmeldingen/{mid}", vt)

        # The data: copies of VT's read of the melding, filler rows, refusals.
        nu = datetime.now(timezone.utc).replace(tzinfo=None)
        t0 = (nu - timedelta(days=396)).isoformat(" ")
        span = 396 * 86400
        vts = [r["code"] for r in verzoek("GET", "/organisaties?soort=veilig-thuis&pageSize=100", admin)["results"]]
        orgs = "ARRAY[" + ",".join(f"'{o}'" for o in sorted(set(vts + [POLITIE]))) + "]"
        k = len(set(vts + [POLITIE]))
        tijd = lambda n: f"TIMESTAMP '{t0}' + (g::double precision / {n}) * interval '{span} seconds'"
        stmts = [
            # The child read VEEL times by Veilig Thuis (processing log, each its own trace).
            f"INSERT INTO verwerkingslog (id, keten, volgnummer, vorige_hash, hash, trace_id, span_id, parent_span_id, organisatie, activiteit, grondslag, convenant_id, convenant_versie, betrokkene, resultaat, doorbraak, start_op, eind_op) "
            f"SELECT '00000000-0000-7000-8001-' || lpad(to_hex(g * 16 + rn), 12, '0'), keten || '#bench', g * 16 + rn + 1, vorige_hash, hash, 'bench' || g, span_id, parent_span_id, organisatie, activiteit, grondslag, convenant_id, convenant_versie, betrokkene, resultaat, doorbraak, {tijd(VEEL)}, {tijd(VEEL)} "
            f"FROM (SELECT *, row_number() OVER (ORDER BY id) AS rn FROM verwerkingslog WHERE organisatie = '{VT}' AND trace_id = (SELECT trace_id FROM audittrail WHERE object_id = '{mid}' AND organisatie = '{VT}' AND resultaat = 200 LIMIT 1)) v, "
            f"generate_series(0, {VEEL - 1}) AS g",
            # ... and its audit row, in the same trace.
            f"INSERT INTO audittrail (id, keten, volgnummer, vorige_hash, hash, tijdstip, trace_id, gebruiker, gebruiker_naam, organisatie, applicatie, actie, object_type, object_id, eigenaar, resultaat, toelichting, doorbraak, grondslag, oude_waarde, nieuwe_waarde) "
            f"SELECT '00000000-0000-7000-8002-' || lpad(to_hex(g), 12, '0'), keten || '#bench', g + 1, vorige_hash, hash, {tijd(VEEL)}, 'bench' || g, gebruiker, gebruiker_naam, organisatie, applicatie, actie, object_type, object_id, eigenaar, resultaat, toelichting, doorbraak, grondslag, oude_waarde, nieuwe_waarde "
            f"FROM (SELECT * FROM audittrail WHERE object_id = '{mid}' AND organisatie = '{VT}' AND resultaat = 200 LIMIT 1) a, generate_series(0, {VEEL - 1}) AS g",
            # Filler: other persons, every organisation.
            f"INSERT INTO verwerkingslog (id, keten, volgnummer, vorige_hash, hash, trace_id, span_id, parent_span_id, organisatie, activiteit, grondslag, convenant_id, convenant_versie, betrokkene, resultaat, doorbraak, start_op, eind_op) "
            f"SELECT '00000000-0000-7000-8003-' || lpad(to_hex(g), 12, '0'), ({orgs})[(g % {k})::int + 1] || '#vulling', g / {k} + 1, md5('a' || g), md5('b' || g), md5('t' || g), substr(md5('s' || g), 1, 16), NULL, "
            f"({orgs})[(g % {k})::int + 1], 'veiligheidsbeoordeling', 'benchmark', NULL, NULL, md5('p' || (g % {max(1, VULLING // 20)})), 'geslaagd', (g % 1000 = 0), {tijd(VULLING)}, {tijd(VULLING)} "
            f"FROM generate_series(0, {VULLING - 1}) AS g",
            # Refused attempts of an outside organisation: on the melding (about the child) and on other objects.
            f"INSERT INTO audittrail (id, keten, volgnummer, vorige_hash, hash, tijdstip, trace_id, gebruiker, gebruiker_naam, organisatie, applicatie, actie, object_type, object_id, eigenaar, resultaat, toelichting, doorbraak, grondslag, oude_waarde, nieuwe_waarde) "
            f"SELECT '00000000-0000-7000-8004-' || lpad(to_hex(g), 12, '0'), 'audit:{BUITEN}#bench', g + 1, md5('a' || g), md5('b' || g), {tijd(2 * WEIGERINGEN)}, md5('w' || g), 'u', 'Buiten', '{BUITEN}', 'bench', 'lezen', 'zorgmeldingen', "
            f"CASE WHEN g % 2 = 0 THEN '{mid}' ELSE '00000000-0000-7000-8005-' || lpad(to_hex(g), 12, '0') END, '{VT}', 404, NULL, false, 'geen convenant', NULL, NULL "
            f"FROM generate_series(0, {2 * WEIGERINGEN - 1}) AS g",
        ]
        for s in stmts:
            t = time.monotonic(); psql(db, s); log(f"{s[:60]}... {time.monotonic() - t:.0f} s")
        COMMANDS.append("psql -d $DB -c \"INSERT INTO verwerkingslog ... generate_series ...\" (4 statements; see zoek.py)")
        psql(db, "VACUUM ANALYZE")
        vlog = int(psql(db, "SELECT count(*) FROM verwerkingslog", uit=True))
        alog = int(psql(db, "SELECT count(*) FROM audittrail", uit=True))
        data = f"{vlog:,} processing-log rows, {alog:,} audit rows; the child: {VEEL + 1:,} reads, {WEIGERINGEN:,} refusals on the melding"

        def meet(naam, methode, pad, body=None):
            ms = []
            for _ in range(N):
                t = time.monotonic(); r = verzoek(methode, pad, fg, body); ms.append((time.monotonic() - t) * 1000)
            return naam, pctl(ms, 50), pctl(ms, 99), r

        van = (nu - timedelta(days=30)).strftime("%Y-%m-%dT%H:%M:%SZ")
        uit = []
        load = os.getloadavg()[0]
        uit.append(meet("_zoek by BSN, first page", "POST", "/verwerkingen/_zoek", {"bsn": BSN}))
        uit.append(meet("_zoek by BSN, last 30 days", "POST", "/verwerkingen/_zoek", {"bsn": BSN, "van": van}))
        # The fifth page: by cursor where the code has one, else by `page`.
        p = verzoek("POST", "/verwerkingen/_zoek", fg, {"bsn": BSN})
        if p.get("next") and "cursor=" in p["next"]:
            pad = p["next"]
            for _ in range(3):
                pad = verzoek("POST", pad, fg, {"bsn": BSN})["next"]
            uit.append(meet("_zoek by BSN, fifth page (cursor)", "POST", pad, {"bsn": BSN}))
        else:
            uit.append(meet("_zoek by BSN, fifth page (page=5)", "POST", "/verwerkingen/_zoek", {"bsn": BSN, "page": 5}))
        uit.append(meet("_zoek refused only, no person", "POST", "/verwerkingen/_zoek", {"uitkomst": "geweigerd"}))
        uit.append(meet("GET /verwerkingen/doorbraken", "GET", "/verwerkingen/doorbraken"))
        load_na = os.getloadavg()[0]

        # The plans of the search's queries, as the code (this branch) writes them.
        pseud = psql(db, f"SELECT betrokkene FROM verwerkingslog WHERE id LIKE '00000000-0000-7000-8001-%' LIMIT 1", uit=True)
        plannen = {
            "processing log, one person, newest first (LIMIT 21)":
                f"SELECT id FROM verwerkingslog WHERE organisatie = '{VT}' AND activiteit <> 'bewaring-ijkpunt' AND betrokkene = '{pseud}' ORDER BY start_op DESC, id DESC LIMIT 21",
            "its bounded count probe (OFFSET 1000 LIMIT 1)":
                f"SELECT id FROM verwerkingslog WHERE organisatie = '{VT}' AND activiteit <> 'bewaring-ijkpunt' AND betrokkene = '{pseud}' ORDER BY start_op DESC, id DESC OFFSET 1000 LIMIT 1",
            "refusals on the organisation's records, newest first":
                f"SELECT id FROM audittrail WHERE eigenaar = '{VT}' AND audittrail.resultaat >= 400 AND organisatie <> '{VT}' ORDER BY tijdstip DESC, id DESC LIMIT 21",
            "break-glass reads by the organisation":
                f"SELECT id FROM audittrail WHERE audittrail.doorbraak AND organisatie = '{VT}' ORDER BY tijdstip DESC, id DESC LIMIT 21",
            "was the person processed under the melding (EXISTS)":
                f"SELECT EXISTS (SELECT 1 FROM verwerkingslog WHERE betrokkene IN ('{pseud}') AND trace_id IN (SELECT trace_id FROM audittrail WHERE object_type = 'zorgmeldingen' AND object_id = '{mid}' AND resultaat BETWEEN 200 AND 299))",
        }
        # The check per chunk of 500 refused objects (the melding first), as `verwerkt_onder` writes it.
        kand = psql(db, f"SELECT object_type || '|' || object_id FROM (SELECT DISTINCT object_type, object_id FROM audittrail WHERE eigenaar = '{VT}' AND resultaat >= 400 AND organisatie <> '{VT}') k ORDER BY object_id = '{mid}' DESC, object_id LIMIT 500", uit=True).splitlines()
        waarden = ", ".join("('%s', '%s')" % tuple(k.split("|", 1)) for k in kand)
        plannen[f"which of {len(kand)} refused objects the person was processed under (one statement, VALUES + EXISTS)"] = (
            f"SELECT c.column1 AS soort, c.column2 AS id FROM (VALUES {waarden}) AS c WHERE EXISTS (SELECT 1 FROM audittrail a "
            f"JOIN verwerkingslog v ON v.trace_id = a.trace_id WHERE a.object_type = c.column1 AND a.object_id = c.column2 "
            f"AND a.resultaat BETWEEN 200 AND 299 AND v.betrokkene IN ('{pseud}') OFFSET 0)")
        print(f"\n### zoek.py {LABEL} ({datetime.now(timezone.utc).strftime('%Y-%m-%d %H:%M')} UTC)\n")
        print(f"binary {BIN}; {os.cpu_count()} cores; load average at start of the measurements {load:.1f}, at end {load_na:.1f}; "
              f"c=1, {N} sequential requests per line (wall time per request, client on the same machine); pool {POOL}")
        print(f"data: {data}\n")
        print("| measurement | p50 ms | p99 ms | count (countIsExact) |\n|---|---:|---:|---|")
        for naam, p50, p99, r in uit:
            print(f"| {naam} | {p50:.1f} | {p99:.1f} | {r.get('count')} ({r.get('countIsExact', 'absent')}) |")
        print()
        for naam, q in plannen.items():
            plan = psql(db, "EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) " + q, uit=True).splitlines()
            print(f"{naam}:\n\n    " + "\n    ".join(plan[:8] if "VALUES" not in q else plan[:24]) + "\n")
        print("Commands: " + "; ".join(COMMANDS))
    finally:
        gemeen.stop_dienst(server, 30)
        subprocess.call(["psql", "-X", "-q", "-h", PGHOST, "-p", PGPORT, "-U", PGUSER, "-d", "postgres",
                         "-c", f'DROP DATABASE IF EXISTS "{db}" WITH (FORCE)'], stdout=subprocess.DEVNULL)


if __name__ == "__main__":
    main()
