#!/usr/bin/env python3
"""Issue 17 "Done means" in one run: the cost of logged access beside unlogged access, the
filing path, the briefing at national scale, the logs at 10M rows, the inbox at 200k
meldingen, and the service's peak memory under each load, on PostgreSQL and SQLite,
against the release binary. Prints figures with the data size, the machine's load and the
exact commands; asserts nothing (the targets are printed beside the figures).
Standard library only; traffic to 127.0.0.1 only. Start it as `benches/load/keten.sh`.

    cargo build --release --locked
    benches/load/keten.sh                 # the issue's sizes (about an hour on 2 cores)
    SMALL=1 benches/load/keten.sh         # small sizes, under 10 minutes

Per backend, one fresh database and one service (release binary, development mode,
rate limits and quotas off, daily retention off so that the measured retention run is
the only one):
  1. `ketenregie genereer` the briefing data (GEZINNEN families = 3 persons each, plus
     POLITIE police records, INCIDENTEN incidents); the agreements for the reads and the
     briefing, signed by every party; MELDINGEN zorgmeldingen filed through the API.
  lezen     the logged GET /zorgmeldingen/{id} (decision, decrypt, audit + processing-log
            rows through the log writer) and the unlogged GET /organisaties/{id}, at
            CONCURRENCY, in ROUNDS interleaved rounds; medians.
  schrijven POST /zorgmeldingen (create, with both logs in its own transaction) at
            CONCURRENCY and at CONCURRENCY_LAAG, interleaved.
  briefing  POST /briefings/_zoek by BSN (random keys of the generated data) at CONCURRENCY.
  logboek   LOG_ROWS processing-log rows added with one SQL INSERT ... SELECT per million
            (PostgreSQL generate_series, SQLite a recursive CTE), sealed (placeholder
            hashes, in chains of their own, `<organisation>#bench`, with their chain heads:
            the service's own chains are untouched, `audit verify` reports the #bench
            chains as broken), 1/LOG_MAANDEN of them in the calendar month that ended just
            over LOG_TERMIJN_DAGEN ago (the floor of the processing log's term, 5 years),
            the rest spread evenly over the last LOG_MAANDEN - 1 months up to now (on
            PostgreSQL into monthly partitions, made first with `ketenregie_logpartitie`),
            over the 26 Veilig Thuis organisations and the police, ~20 rows per
            pseudonymised person; their organisations' processing-log term set to
            LOG_TERMIJN_DAGEN, so exactly the old month is due (on PostgreSQL retention
            drops its partition whole). Then: the two reads again (interleaved, as in
            `lezen`); the privacy officer's POST /verwerkingen/_zoek by BSN (one person
            with a few rows, and the person read by `lezen` with very many) at c=1; and
            `ketenregie retention run` timed (wall clock, the service running).
  inbox     benches/load/inbox.py (imported): the Veilig Thuis inbox page, 20 and 100 per
            page, first page and a middle page by cursor, at INBOX_SIZES meldingen.
Peak RSS: before each measurement the service's peak is reset (`echo 5 >
/proc/PID/clear_refs`), after it VmHWM is read from /proc/PID/status.

Environment (defaults: the issue's sizes; SMALL=1 the small ones in brackets). Any size
may be set for one backend only with a suffix, e.g. LOG_ROWS_SQLITE=1000000.
  BACKENDS="postgres sqlite"   SECTIONS="lezen schrijven briefing logboek inbox"
  DURATION=15 [5] s per measured run    WARMUP=2 [1] s    ROUNDS=3 [2]
  CONCURRENCY=32   CONCURRENCY_LAAG=4   MELDINGEN=200 [50]
  GEZINNEN=300000 [3000]   POLITIE=100000 [1000]   INCIDENTEN=3000000 [30000]
  LOG_ROWS=10000000 (SQLite 1000000) [200000, SQLite 100000]
  LOG_MAANDEN=13   LOG_TERMIJN_DAGEN=1825 (the processing log's floor)
  INBOX_SIZES=1000,20000,200000 [1000,20000]   INBOX_REQUESTS=300 [50]
  BIN=target/release/ketenregie   PGHOST=127.0.0.1 PGPORT=5432 PGUSER=postgres
  POOL_SIZE=16 (the service's database pool)   INBOX_POOL_SIZE=4 (each inbox service's pool)
"""
import contextlib, hashlib, http.client, io, json, os, re, shutil, socket, statistics, subprocess, sys, tempfile, time
from datetime import datetime, timedelta, timezone

sys.dont_write_bytecode = True  # inbox.py is imported: leave no __pycache__ in the tree

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import gemeen  # noqa: E402 (the shared helpers of this folder)
from gemeen import vrije_poort  # noqa: E402
ROOT = os.path.dirname(os.path.dirname(HERE))
SMALL = os.environ.get("SMALL", "") not in ("", "0")


def env(naam, vol, klein, backend=None):
    """A setting: NAME_BACKEND, else NAME, else the default for the mode."""
    if backend and f"{naam}_{backend.upper()}" in os.environ:
        return os.environ[f"{naam}_{backend.upper()}"]
    return os.environ.get(naam, str(klein if SMALL else vol))


def geheel(naam, vol, klein, backend=None):
    w = env(naam, vol, klein, backend)
    if not re.fullmatch(r"[0-9]+", w):
        sys.exit(f"keten: {naam} must be a whole number, got {w!r}")
    return int(w)


BIN = os.path.abspath(os.environ.get("BIN", os.path.join(ROOT, "target", "release", "ketenregie")))
BACKENDS = env("BACKENDS", "postgres sqlite", "postgres sqlite").split()
SECTIONS = env("SECTIONS", "lezen schrijven briefing logboek inbox", "lezen schrijven briefing logboek inbox").split()
DURATION = geheel("DURATION", 15, 5)
WARMUP = geheel("WARMUP", 2, 1)
ROUNDS = geheel("ROUNDS", 3, 2)
CONC = geheel("CONCURRENCY", 32, 32)
CONC_LAAG = geheel("CONCURRENCY_LAAG", 4, 4)
MELDINGEN = geheel("MELDINGEN", 200, 50)
LOG_MAANDEN = geheel("LOG_MAANDEN", 13, 13)
LOG_TERMIJN = geheel("LOG_TERMIJN_DAGEN", 0, 0)  # 0: the floor, 5 * 365
INBOX_REQUESTS = geheel("INBOX_REQUESTS", 300, 50)
INBOX_SIZES = [int(x) for x in env("INBOX_SIZES", "1000,20000,200000", "1000,20000").split(",")]
POOL = geheel("POOL_SIZE", 16, 16)
INBOX_POOL = geheel("INBOX_POOL_SIZE", 4, 4)
PGHOST = os.environ.get("PGHOST", "127.0.0.1")
PGPORT = os.environ.get("PGPORT", "5432")
PGUSER = os.environ.get("PGUSER", "postgres")
if PGHOST not in ("127.0.0.1", "localhost"):
    sys.exit("keten: PGHOST must be 127.0.0.1 (local traffic only)")
LUA = os.path.join(HERE, "keten.lua")
BRIEFING_LUA = os.path.join(HERE, "briefing.lua")

# The melding the reads and the filing use (synthetic; the child's BSN is a test BSN).
MELDING = {
    "kinderen": [{"voornaam": "Kind", "achternaam": "Synthetisch", "geboortedatum": "2016-03-01", "bsn": "999990032", "gemeente": "0518"}],
    "ouders": [{"voornaam": "Ouder", "achternaam": "Synthetisch", "relatie": "moeder"}],
    "omschrijving": "Synthetische melding voor de benchmark.", "zorgen": "Geen (synthetisch).",
    "acuut": False, "risiconiveau": "laag", "oudersGeinformeerd": True,
    "verklaringen": [{"persoon": "Ouder Synthetisch", "rol": "moeder", "tekst": "synthetisch"}],
    "melder": {"naam": "Agent Synthetisch", "functie": "wijkagent", "identiteitDelen": True},
}
# A second child, read only a few times: the privacy officer's typical search.
BSN_WEINIG = "999990020"
LEZINGEN_WEINIG = 20

CATEGORIEEN = ["identificatie", "bsn", "gezinssituatie", "politiegegevens", "melder-identiteit"]


def log(*a):
    print(f"[{time.strftime('%H:%M:%S')}]", *a, file=sys.stderr, flush=True)


def load1():
    return os.getloadavg()[0]


class Backend:
    """One database and one service on it."""

    def __init__(self, naam, tmp):
        self.naam, self.tmp = naam, tmp
        self.server = None
        self.poort = vrije_poort()
        self.base = f"http://127.0.0.1:{self.poort}"
        if naam == "sqlite":
            self.db = os.path.join(tmp, "keten.db")
            url = f"sqlite://{self.db}"
        else:
            self.db = f"keten_bench_{os.getpid()}_{int(time.time())}"
            self.psql("postgres", f'CREATE DATABASE "{self.db}"')
            url = f"postgres://{PGUSER}@{PGHOST}:{PGPORT}/{self.db}"
        self.env = dict(os.environ, KETENREGIE_SERVER__BIND=f"127.0.0.1:{self.poort}", KETENREGIE_DATABASE__URL=url,
                        KETENREGIE_DATABASE__POOL_SIZE=str(POOL),
                        KETENREGIE_AUTH__DEV_SECRET_FILE=os.path.join(tmp, "secret"), KETENREGIE_LOG__FILTER="warn",
                        # Throughput, not limits: long-lived tokens, no rate limits or quota (README "Limieten").
                        KETENREGIE_AUTH__MAX_LIFETIME_SECONDS="14400", KETENREGIE_LIMITS__CLIENT_PER_SECOND="0",
                        KETENREGIE_LIMITS__USER_PER_SECOND="0", KETENREGIE_LIMITS__BRIEFINGS_PER_DAY="0",
                        KETENREGIE_LIMITS__PERSON_LOOKUPS_PER_DAY="0",
                        # The measured `retention run` is the only one.
                        KETENREGIE_PRIVACY__RETENTION_DAILY="false")

    # --- database -------------------------------------------------------------------
    def psql(self, db, stmt, uit=False):
        cmd = ["psql", "-X", "-q", "-v", "ON_ERROR_STOP=1", "-h", PGHOST, "-p", PGPORT, "-U", PGUSER, "-d", db]
        if uit:
            return subprocess.check_output(cmd + ["-tA", "-F", "|", "-c", stmt], text=True).strip()
        subprocess.check_call(cmd + ["-c", stmt], stdout=subprocess.DEVNULL)

    def sql(self, stmt):
        if self.naam == "sqlite":
            import sqlite3
            c = sqlite3.connect(self.db, timeout=60); c.execute("PRAGMA busy_timeout=60000")
            c.executescript(stmt); c.commit(); c.close()
        else:
            self.psql(self.db, stmt)

    def een(self, stmt):
        if self.naam == "sqlite":
            import sqlite3
            c = sqlite3.connect(self.db, timeout=60); r = c.execute(stmt).fetchone(); c.close()
            return [str(x) for x in r]
        return self.psql(self.db, stmt, uit=True).split("|")

    def tel(self, tabel):
        return int(self.een(f"SELECT count(*) FROM {tabel}")[0])

    def grootte_mb(self):
        if self.naam == "sqlite":
            return sum(os.path.getsize(self.db + s) for s in ("", "-wal") if os.path.exists(self.db + s)) / 2**20
        return int(self.een(f"SELECT pg_database_size('{self.db}')")[0]) / 2**20

    def analyze(self):
        """The steady state a measurement should see: statistics current, and on PostgreSQL
        the visibility map set (VACUUM) and then a CHECKPOINT, so the pages VACUUM dirtied
        (after a bulk insert of 10M log rows, gigabytes) are written now and not by the
        checkpointer during the next measurement; then wait until no autovacuum worker runs."""
        if self.naam != "postgres":
            self.sql("ANALYZE")
            return
        self.sql("VACUUM ANALYZE")
        self.sql("CHECKPOINT")
        for _ in range(600):
            if self.een("SELECT count(*) FROM pg_stat_activity WHERE backend_type = 'autovacuum worker'")[0] == "0":
                break
            time.sleep(1)

    # --- service --------------------------------------------------------------------
    def ketenregie(self, *args):
        return subprocess.check_output([BIN, *args], env=self.env, text=True)

    def token(self, org, rol):
        return self.ketenregie("token", "--organisatie", org, "--rol", rol, "--geldig-minuten", "240").strip()

    def start(self):
        self.server = gemeen.start_dienst([BIN, "serve"], self.env,
                                          os.path.join(self.tmp, f"server-{self.naam}.log"), "a")
        gemeen.wacht_op_gereed(self.server, self.poort, 120, f"{self.tmp}/server-{self.naam}.log")

    def stop(self):
        if self.server:
            gemeen.stop_dienst(self.server, timeout=30)
        self.server = None

    def weg(self):
        self.stop()
        if self.naam == "postgres":
            subprocess.call(["psql", "-X", "-q", "-h", PGHOST, "-p", PGPORT, "-U", PGUSER, "-d", "postgres",
                             "-c", f'DROP DATABASE IF EXISTS "{self.db}" WITH (FORCE)'], stdout=subprocess.DEVNULL)

    def piek_reset(self):
        try:
            with open(f"/proc/{self.server.pid}/clear_refs", "w") as f:
                f.write("5")
            return True
        except OSError:
            return False

    def piek_mb(self):
        try:
            with open(f"/proc/{self.server.pid}/status") as f:
                for regel in f:
                    if regel.startswith("VmHWM:"):
                        return int(regel.split()[1]) / 1024
        except OSError:
            return None

    def verzoek(self, methode, pad, tok, body=None, verwacht=(200, 201)):
        c = http.client.HTTPConnection("127.0.0.1", self.poort, timeout=120)
        h = {"Authorization": f"Bearer {tok}"}
        data = None
        if body is not None:
            data = json.dumps(body); h["Content-Type"] = "application/json"
        c.request(methode, "/api/v1" + pad, body=data, headers=h)
        r = c.getresponse(); inhoud = r.read(); c.close()
        if r.status not in verwacht:
            sys.exit(f"keten: {self.naam}: {methode} {pad}: HTTP {r.status}: {inhoud[:400]!r}")
        return json.loads(inhoud) if inhoud else None

    def convenant(self, titel, partijen, doel, categorieen, regels):
        """An agreement made by the first party's functional admin and signed by every party."""
        fb = {org: self.token(org, "functioneel-beheerder") for org, _ in partijen}
        c = self.verzoek("POST", "/convenanten", fb[partijen[0][0]], {
            "titel": titel, "partijen": [{"organisatie": o, "rol": r} for o, r in partijen],
            "doelen": [doel], "categorieen": categorieen, "regels": regels})
        for org, _ in partijen:
            huidig = self.verzoek("GET", f"/convenanten/{c['id']}", fb[org])
            self.verzoek("POST", f"/convenanten/{c['id']}/ondertekeningen", fb[org], {"inhoudHash": huidig["inhoudHash"]})
        return c["id"]


# --- wrk ------------------------------------------------------------------------------
class Meting:
    def __init__(self, **kw):
        self.__dict__.update(kw)


def wrk(b, naam, pad, tok, c, duur, methode="GET", body=None, briefing=False, data="", warmup=True):
    """One measured wrk run (after a warm-up); the service's peak RSS during it."""
    url = b.base + "/api/v1" + pad
    omg = dict(os.environ, TOKEN=tok, METHOD=methode)
    weergave_env = f"TOKEN=… METHOD={methode}"
    if body is not None:
        bf = os.path.join(b.tmp, f"body-{abs(hash(json.dumps(body, sort_keys=True)))}.json")
        with open(bf, "w") as f:
            json.dump(body, f)
        omg["BODY_FILE"] = bf
        weergave_env += f" BODY_FILE={bf}"
    script = LUA
    if briefing:
        omg.update(WIJZE="bsn", SLEUTELS=os.path.join(b.tmp, "sleutels.csv"))
        weergave_env = f"TOKEN=… WIJZE=bsn SLEUTELS={omg['SLEUTELS']}"
        script = BRIEFING_LUA
        url = b.base  # briefing.lua sets the path
    cmd = ["wrk", "-t1", f"-c{c}", f"-d{duur}s", "--timeout", "10s", "-s", script, url]
    if warmup and WARMUP:
        subprocess.run(cmd[:3] + [f"-d{WARMUP}s"] + cmd[4:], env=omg, stdout=subprocess.DEVNULL, timeout=WARMUP + 60, check=True)
    ld = load1()
    gereset = b.piek_reset()
    uit = subprocess.run(cmd, env=omg, capture_output=True, text=True, timeout=duur + 120, check=True).stdout
    rss = b.piek_mb()
    r = re.search(r"^RESULT (.*)$", uit, re.M)
    if not r:
        sys.exit(f"keten: wrk printed no RESULT line:\n{uit}")
    kv = dict(x.split("=") for x in r.group(1).split())
    if briefing:
        n = int(kv["requests"]); rps = float(kv["rps"]); p50 = float(kv["p50_ms"]); p99 = float(kv["p99_ms"]); fout = int(kv["errors"])
    else:
        n = int(kv["requests"]); rps = n / (int(kv["duration_us"]) / 1e6)
        p50 = int(kv["p50_us"]) / 1000; p99 = int(kv["p99_us"]) / 1000; fout = int(kv["errors"]) + int(kv["non2xx"])
    m = Meting(backend=b.naam, naam=naam, c=c, rps=rps, p50=p50, p99=p99, n=n, fout=fout, load=ld,
               rss=rss if gereset else None, data=data,
               cmd=f"{weergave_env} {' '.join(cmd[:-1])} {url.replace(b.base, 'http://127.0.0.1:$PORT')}")
    log(f"{b.naam}: {naam} c={c}: {rps:,.0f}/s p50 {p50:.2f} ms p99 {p99:.2f} ms, {fout} errors, load {ld:.1f}, peak RSS {rss:.0f} MiB")
    return m


def mediaan(ms):
    return Meting(**{**ms[0].__dict__, "rps": statistics.median(m.rps for m in ms), "p50": statistics.median(m.p50 for m in ms),
                     "p99": statistics.median(m.p99 for m in ms), "n": sum(m.n for m in ms), "fout": sum(m.fout for m in ms),
                     "load": statistics.median(m.load for m in ms),
                     "rss": max((m.rss for m in ms if m.rss is not None), default=None),
                     "rondes": ", ".join(f"{m.rps:,.0f}/s (load {m.load:.1f})" for m in ms)})


def interleaved(b, routes, data):
    """ROUNDS rounds of every route in turn; the median per route."""
    uit = [[] for _ in routes]
    for _ in range(ROUNDS):
        for i, (naam, pad, tok, c, kw) in enumerate(routes):
            uit[i].append(wrk(b, naam, pad, tok, c, DURATION, data=data, **kw))
    return [mediaan(v) for v in uit]


# --- the processing log at size -------------------------------------------------------
KOLOMMEN = ("id, keten, volgnummer, vorige_hash, hash, trace_id, span_id, parent_span_id, organisatie, activiteit, "
            "grondslag, convenant_id, convenant_versie, betrokkene, resultaat, doorbraak, start_op, eind_op")


def nephash(g):
    return hashlib.md5(f"h{g}".encode()).hexdigest() + hashlib.md5(f"H{g}".encode()).hexdigest()


def groot_logboek(b, rijen, orgs, commands):
    """Add `rijen` sealed processing-log rows in chains `<org>#bench`, oldest first per chain."""
    k = len(orgs)
    personen = max(1, rijen // 20)
    nu = datetime.now(timezone.utc).replace(tzinfo=None)
    # The processing log's term cannot go below 5 years (BEWAARTERMIJN_ONDERGRENS): the
    # oldest month's share of the rows (1/LOG_MAANDEN) lies in the calendar month that
    # ended just over `termijn` days ago, the rest spread over the last LOG_MAANDEN - 1
    # months up to now; so exactly that old month is due.
    termijn = LOG_TERMIJN or 5 * 365
    d = nu - timedelta(days=termijn + 1)
    m1 = datetime(d.year, d.month, 1)
    t0 = datetime(m1.year - (m1.month == 1), (m1.month - 2) % 12 + 1, 1)
    oud_n = max(1, rijen // LOG_MAANDEN)
    r0 = nu - timedelta(days=(LOG_MAANDEN - 1) * 365.25 / 12)
    span_o = (m1 - t0).total_seconds()
    span_r = (nu - r0).total_seconds()
    blok = 1_000_000
    if b.naam == "postgres":
        # The monthly partitions of the months the rows fall in (the service made the
        # current one and two ahead; the function skips those that exist).
        stmt = (f"SELECT ketenregie_logpartitie('verwerkingslog', m::date) FROM (SELECT DATE '{t0.date()}' AS m UNION ALL "
                f"SELECT generate_series(date_trunc('month', TIMESTAMP '{r0.isoformat(' ')}'), TIMESTAMP '{nu.isoformat(' ')}', interval '1 month')) AS x")
        b.sql(stmt)
        commands.append(f"psql -d $DB -c \"{stmt}\"")
        lijst = "ARRAY[" + ",".join(f"'{o}'" for o in orgs) + "]"
        sel = (f"SELECT '00000000-0000-7000-8000-' || lpad(to_hex(g), 12, '0'), ({lijst})[(g % {k})::int + 1] || '#bench', g / {k} + 1, "
               f"md5('h' || (g - {k})) || md5('H' || (g - {k})), md5('h' || g) || md5('H' || g), md5('t' || g), "
               f"substr(md5('s' || g), 1, 16), NULL, ({lijst})[(g % {k})::int + 1], 'veiligheidsbeoordeling', "
               f"'Wmo 2015 art. 4.1.1 lid 2 sub g (benchmark)', NULL, NULL, "
               f"md5('p' || ((g * 7919) % {personen})) || md5('q' || ((g * 7919) % {personen})), 'geslaagd', false, "
               f"t.op, t.op + interval '5 milliseconds' "
               f"FROM generate_series(__LO__::bigint, __HI__::bigint) AS g, "
               f"LATERAL (SELECT CASE WHEN g < {oud_n} THEN TIMESTAMP '{t0.isoformat(' ')}' + (g::double precision / {oud_n} * {span_o:.0f}) * interval '1 second' "
               f"ELSE TIMESTAMP '{r0.isoformat(' ')}' + ((g - {oud_n})::double precision / {max(1, rijen - oud_n)} * {span_r:.0f}) * interval '1 second' END AS op) AS t")
        for lo in range(0, rijen, blok):
            hi = min(rijen, lo + blok) - 1
            stmt = f"INSERT INTO verwerkingslog ({KOLOMMEN}) " + sel.replace("__LO__", str(lo)).replace("__HI__", str(hi))
            if lo == 0:
                commands.append(f"psql -d $DB -c \"{stmt}\"   (and the next blocks of {blok:,} rows)")
            t = time.monotonic(); b.sql(stmt)
            log(f"{b.naam}: processing log rows {lo:,}..{hi:,} in {time.monotonic() - t:.0f} s")
    else:
        import sqlite3
        c = sqlite3.connect(b.db, timeout=60); c.execute("PRAGMA busy_timeout=60000")
        c.execute("CREATE TEMP TABLE bench_orgs (i INTEGER PRIMARY KEY, code TEXT)")
        c.executemany("INSERT INTO bench_orgs VALUES (?, ?)", list(enumerate(orgs)))
        tijd = (f"strftime('%Y-%m-%d %H:%M:%f', CASE WHEN g < {oud_n} THEN '{t0.isoformat(' ')}' ELSE '{r0.isoformat(' ')}' END, "
                f"'+' || CAST(CASE WHEN g < {oud_n} THEN g * {span_o / oud_n!r} ELSE (g - {oud_n}) * {span_r / max(1, rijen - oud_n)!r} END AS TEXT) || ' seconds')")
        sel = (f"WITH RECURSIVE r(g) AS (SELECT __LO__ UNION ALL SELECT g + 1 FROM r WHERE g < __HI__) "
               f"INSERT INTO verwerkingslog ({KOLOMMEN}) "
               f"SELECT printf('00000000-0000-7000-8000-%012x', g), o.code || '#bench', g / {k} + 1, printf('%064x', g - {k}), printf('%064x', g), "
               f"lower(hex(randomblob(16))), lower(hex(randomblob(8))), NULL, o.code, 'veiligheidsbeoordeling', "
               f"'Wmo 2015 art. 4.1.1 lid 2 sub g (benchmark)', NULL, NULL, printf('%064x', (g * 7919) % {personen}), "
               f"'geslaagd', 0, {tijd}, {tijd} "
               f"FROM r JOIN bench_orgs o ON o.i = g % {k}")
        for lo in range(0, rijen, blok):
            hi = min(rijen, lo + blok) - 1
            stmt = sel.replace("__LO__", str(lo)).replace("__HI__", str(hi))
            if lo == 0:
                commands.append(f"sqlite3 $DB \"{stmt}\"   (bench_orgs: a temp table of the organisations; next blocks of {blok:,} rows alike)")
            t = time.monotonic(); c.execute(stmt); c.commit()
            log(f"{b.naam}: processing log rows {lo:,}..{hi:,} in {time.monotonic() - t:.0f} s")
        c.close()
    # The chain heads (the last position of each #bench chain and its hash), and the
    # organisations' processing-log term.
    koppen = []
    for i, org in enumerate(orgs):
        laatste = max((g for g in range(max(0, rijen - k), rijen) if g % k == i), default=None)
        if laatste is None:
            continue
        h = nephash(laatste) if b.naam == "postgres" else f"{laatste:064x}"
        koppen.append(f"('verwerking:{org}#bench', {laatste // k + 1}, '{h}')")
    b.sql("INSERT INTO logketens (id, volgnummer, laatste_hash) VALUES " + ", ".join(koppen) + ";")
    regels = ", ".join(f"('{hashlib.md5(o.encode()).hexdigest()}', '{o}', 'verwerkingslog', {termijn}, 'benchmark: {termijn} dagen', 1)" for o in orgs)
    b.sql(f"DELETE FROM bewaartermijnen WHERE soort = 'verwerkingslog' AND organisatie IN ({', '.join(repr(o) for o in orgs)}); "
          f"INSERT INTO bewaartermijnen (id, organisatie, soort, termijn_dagen, toelichting, versie) VALUES {regels};")
    commands.append(f"(then the chain heads of the {k} #bench chains into logketens, and bewaartermijnen "
                    f"(organisation, 'verwerkingslog', {termijn}) for their organisations)")
    return t0


# --- one backend ----------------------------------------------------------------------
def run_backend(naam, tmp):
    b = Backend(naam, tmp)
    metingen, commands, notities = [], [], []
    try:
        gezinnen = geheel("GEZINNEN", 300000, 3000, naam)
        politie = geheel("POLITIE", 100000, 1000, naam)
        incidenten = geheel("INCIDENTEN", 3000000, 30000, naam)
        log_rijen = geheel("LOG_ROWS", 10_000_000 if naam == "postgres" else 1_000_000, 200_000 if naam == "postgres" else 100_000, naam)

        if "briefing" in SECTIONS:
            log(f"{naam}: genereer {gezinnen} families, {politie} police records, {incidenten} incidents (load {load1():.1f})")
            t = time.monotonic()
            b.ketenregie("genereer", "--gezinnen", str(gezinnen), "--politie-personen", str(politie),
                         "--incidenten", str(incidenten), "--sleutels", os.path.join(tmp, "sleutels.csv"))
            notities.append(f"genereer: {time.monotonic() - t:.0f} s")
            commands.append(f"ketenregie genereer --gezinnen {gezinnen} --politie-personen {politie} --incidenten {incidenten} --sleutels $TMP/sleutels.csv")
            b.analyze()
        b.start()
        admin = b.token("ketenregie-platform", "platformbeheerder")
        org = b.verzoek("POST", "/organisaties", admin, {"code": "politie-den-haag", "naam": "Politie Den Haag", "soort": "politie"})
        # Veilig Thuis reads the police's meldingen (as tests/it/common `convenant_van_kracht`).
        b.convenant("Benchmark zorgmeldingen", [("politie-den-haag", "melder"), ("veilig-thuis-haaglanden", "ontvanger")],
                    "veiligheidsbeoordeling", CATEGORIEEN,
                    [{"organisatieSoort": "veilig-thuis", "rollen": ["triagist"], "acties": ["lezen", "wijzigen"],
                      "categorieen": CATEGORIEEN, "doel": "veiligheidsbeoordeling", "maxVertrouwelijkheid": "vertrouwelijk",
                      "grondslag": {"code": "Wmo 2015 art. 4.1.1 lid 2 sub g", "omschrijving": "benchmark"}}])
        if "briefing" in SECTIONS:
            cat = ["identificatie", "gezinssituatie", "gezag-en-omgang", "hulpverlening"]
            b.convenant("Benchmark briefing", [("politie-bench", "politie"), ("gi-bench", "gi")], "briefing", cat,
                        [{"organisatieSoort": "politie", "rollen": ["noodhulp"], "acties": ["lezen"], "categorieen": cat,
                          "doel": "briefing", "maxVertrouwelijkheid": "vertrouwelijk",
                          "grondslag": {"code": "Wpg art. 18", "omschrijving": "briefing"}}])
        agent = b.token("politie-den-haag", "wijkagent")
        vt = b.token("veilig-thuis-haaglanden", "triagist")
        fg = b.token("veilig-thuis-haaglanden", "privacyfunctionaris")
        log(f"{naam}: filing {MELDINGEN} meldingen")
        ids = []
        for i in range(MELDINGEN):
            m = b.verzoek("POST", "/zorgmeldingen", agent, MELDING)
            b.verzoek("POST", f"/zorgmeldingen/{m['id']}/indieningen", agent, {})
            ids.append(m["id"])
        weinig = json.loads(json.dumps(MELDING)); weinig["kinderen"][0]["bsn"] = BSN_WEINIG
        w = b.verzoek("POST", "/zorgmeldingen", agent, weinig)
        b.verzoek("POST", f"/zorgmeldingen/{w['id']}/indieningen", agent, {})
        for _ in range(LEZINGEN_WEINIG):
            b.verzoek("GET", f"/zorgmeldingen/{w['id']}", vt)
        mid = ids[len(ids) // 2]
        b.verzoek("GET", f"/zorgmeldingen/{mid}", vt)
        b.verzoek("GET", f"/organisaties/{org['id']}", vt)
        b.analyze()
        meldingen = b.tel("zorgmeldingen")
        personen = b.tel("personen")
        incid = b.tel("incidenten")
        vlog0 = b.tel("verwerkingslog")
        basis = f"{meldingen:,} meldingen, {personen:,} persons, {incid:,} incidents, {vlog0:,} log rows"
        notities.append(f"data at start: {basis}; database {b.grootte_mb():,.0f} MiB")
        lezen = [("unlogged GET /organisaties/{id}", f"/organisaties/{org['id']}", vt, CONC, {}),
                 ("logged GET /zorgmeldingen/{id}", f"/zorgmeldingen/{mid}", vt, CONC, {})]

        if "lezen" in SECTIONS:
            metingen += interleaved(b, lezen, basis)
        if "schrijven" in SECTIONS:
            metingen += interleaved(b, [("POST /zorgmeldingen", "/zorgmeldingen", agent, CONC, {"methode": "POST", "body": MELDING}),
                                        ("POST /zorgmeldingen", "/zorgmeldingen", agent, CONC_LAAG, {"methode": "POST", "body": MELDING})],
                                    basis)
        if "briefing" in SECTIONS:
            bsn = open(os.path.join(tmp, "sleutels.csv")).read().splitlines()[1].split(",")[0]
            bt = b.token("politie-bench", "noodhulp")
            s = b.verzoek("POST", "/briefings/_zoek", bt, {"bsn": bsn})
            notities.append(f"sample briefing: {s['incidenten']['totaal']} incidents, {len(s['beschikkingenInWerking'])} decisions, "
                            f"{len(s['personen']) + len(s['gezinsleden'])} persons")
            metingen += interleaved(b, [("briefing by BSN", "", bt, CONC, {"briefing": True})],
                                    f"{personen:,} persons, {incid:,} incidents")
        if "logboek" in SECTIONS and log_rijen > 0:
            vts = [r["code"] for r in b.verzoek("GET", "/organisaties?soort=veilig-thuis&pageSize=100", admin)["results"]]
            orgs = sorted(set(vts + ["politie-den-haag"]))
            voor = b.tel("verwerkingslog")
            log(f"{naam}: adding {log_rijen:,} processing-log rows (load {load1():.1f})")
            t = time.monotonic()
            t0_log = groot_logboek(b, log_rijen, orgs, commands)
            b.analyze()
            notities.append(f"{log_rijen:,} processing-log rows added in {time.monotonic() - t:.0f} s (with ANALYZE)")
            na = b.tel("verwerkingslog")
            groot = f"{na:,} log rows ({voor:,} before), {b.tel('zorgmeldingen'):,} meldingen"
            notities.append(f"after adding the log: database {b.grootte_mb():,.0f} MiB")
            metingen += [Meting(**{**m.__dict__, "naam": m.naam + ", big log"}) for m in interleaved(b, lezen, groot)]
            # The privacy officer: one person with few rows, and the person read above with very many.
            van = (datetime.now(timezone.utc) - timedelta(days=30)).strftime("%Y-%m-%dT%H:%M:%SZ")
            for bsn, wie in ((BSN_WEINIG, "few rows"), (MELDING["kinderen"][0]["bsn"], "read by the load")):
                for body, wat in (({"bsn": bsn}, "by person"), ({"bsn": bsn, "van": van}, "by person, last 30 days")):
                    r = b.verzoek("POST", "/verwerkingen/_zoek", fg, body)
                    metingen.append(wrk(b, f"POST /verwerkingen/_zoek {wat} ({wie}: {r['count']:,}{'' if r.get('countIsExact', True) else '+'} rows)", "/verwerkingen/_zoek",
                                        fg, 1, DURATION, methode="POST", body=body, data=groot))
            # Retention: the oldest month is past its term.
            t = time.monotonic()
            proef = b.ketenregie("retention", "run", "--dry-run")
            proef_duur = time.monotonic() - t
            proef = "\n".join(r for r in proef.splitlines() if re.match(r"^[a-z_-]+: \d+ ", r))
            vlog_voor = b.tel("verwerkingslog")
            oudste = f"verwerkingslog_p{t0_log:%Y_%m}"
            if naam == "postgres":
                in_oudste = b.tel(oudste)
            ld = load1()
            t = time.monotonic()
            r = subprocess.run([BIN, "retention", "run"], env={**b.env, "RUST_LOG": "info", "KETENREGIE_LOG__FILTER": "info"},
                               text=True, capture_output=True, check=True)
            duur = time.monotonic() - t
            # Where the run's time went: the CLI logs each retention source's time.
            bronnen = []
            for regel in (r.stdout + r.stderr).splitlines():
                if "retention source done" in regel:
                    schoon = re.sub(r"\x1b\[[0-9;]*m", "", regel)
                    bron = re.search(r"bron\W+([a-z_,-]+)", schoon)
                    ms = re.search(r"\bms\W+(\d+)", schoon)
                    if bron and ms:
                        bronnen.append(f"{bron.group(1)} {ms.group(1)} ms")
            if bronnen:
                notities.append("retention run per source: " + "; ".join(bronnen))
            uit = "\n".join(r for r in r.stdout.splitlines() if re.match(r"^[a-z_-]+: \d+ ", r))
            if naam == "postgres":
                weg_p = b.een(f"SELECT to_regclass('{oudste}') IS NULL")[0] == "t"
                slot = re.search(r"vergrendeld_ms(?:\x1b\[[0-9;]*m|[=\":\s])*(\d+)", r.stdout + r.stderr)
                controle = re.search(r"controle_ms(?:\x1b\[[0-9;]*m|[=\":\s])*(\d+)", r.stdout + r.stderr)
                notities.append(f"retention by partition: the dry run (the same CLI, counting row by row; the partition checks do not run in it) took {proef_duur:.2f} s; "
                                f"{oudste} ({in_oudste:,} rows, {t0_log:%Y-%m}) "
                                f"{'dropped' if weg_p else 'NOT dropped'}"
                                f"{f', its checks (index probes, before the lock) {controle.group(1)} ms' if controle else ''}"
                                f"{f', the log locked {slot.group(1)} ms (re-check, checkpoints, DROP)' if slot else ''}")
            weg = vlog_voor - b.tel("verwerkingslog")
            commands.append("ketenregie retention run --dry-run; ketenregie retention run   (the service's configuration; "
                            "the service running; the second one timed)")
            # The CLI's own count of processing-log rows removed (the table also gained one
            # retention checkpoint row per trimmed chain).
            gemeld = re.search(r"^verwerkingslog: (\d+) removed", uit, re.M)
            gemeld = int(gemeld.group(1)) if gemeld else weg
            metingen.append(Meting(backend=naam, naam=f"ketenregie retention run: {gemeld:,} processing-log rows removed (the oldest month)",
                                   c="-", rps=None, p50=None, p99=None, n=None, fout=0, load=ld, rss=None, data=groot, cmd=None,
                                   seconden=duur))
            anders = [r.split(" (")[0] for r in uit.strip().splitlines() if not re.search(r": 0 removed", r)]
            notities.append(f"retention: --dry-run counted {' | '.join(r.split(' (')[0] for r in proef.strip().splitlines() if ': 0 ' not in r)}; "
                            f"the run: {' | '.join(anders)} in {duur:.2f} s; table {vlog_voor:,} -> {vlog_voor - weg:,} rows")
        return b, metingen, commands, notities
    finally:
        b.weg()


def inbox_run(backend, commands):
    """benches/load/inbox.py, imported, with the peak RSS of each size's service."""
    sys.path.insert(0, HERE)
    import inbox
    inbox.BIN = BIN
    rss = {}
    oud = inbox.stop

    def stop(s):
        try:
            with open(f"/proc/{s['server'].pid}/status") as f:
                rss[s.get("rijen", "?")] = next(int(r.split()[1]) / 1024 for r in f if r.startswith("VmHWM:"))
        except (OSError, StopIteration):
            pass
        oud(s)
    inbox.stop = stop
    args = type("A", (), {"sizes": INBOX_SIZES, "requests": INBOX_REQUESTS, "backends": backend})()
    ld = load1()
    buf = io.StringIO()
    # One service per size, all running, each asked over one connection: a small pool each
    # keeps PostgreSQL's max_connections (100 by default, shared) from running out.
    vorig = os.environ.get("KETENREGIE_DATABASE__POOL_SIZE")
    os.environ["KETENREGIE_DATABASE__POOL_SIZE"] = str(INBOX_POOL)
    try:
        with contextlib.redirect_stdout(buf):
            rijen = inbox.run(backend, args)
    finally:
        inbox.stop = oud
        if vorig is None:
            del os.environ["KETENREGIE_DATABASE__POOL_SIZE"]
        else:
            os.environ["KETENREGIE_DATABASE__POOL_SIZE"] = vorig
    commands.append(f"KETENREGIE_DATABASE__POOL_SIZE={INBOX_POOL} python3 benches/load/inbox.py --sizes {','.join(map(str, INBOX_SIZES))} --requests {INBOX_REQUESTS} --backends {backend} --bin {BIN}")
    plannen = [r for r in buf.getvalue().splitlines() if r.startswith("|") and ("buffers" in r or re.match(r"\| \d", r))]
    return rijen, rss, ld, plannen


def f(x, spec):
    return "-" if x is None else format(x, spec)


def main():
    if not os.path.exists(BIN):
        sys.exit(f"keten: {BIN} missing: cargo build --release --locked")
    if shutil.which("wrk") is None:
        if os.geteuid() == 0 and shutil.which("apt-get"):
            log("wrk not found; apt-get install -y wrk")
            subprocess.check_call(["apt-get", "install", "-y", "-qq", "wrk"], env=dict(os.environ, DEBIAN_FRONTEND="noninteractive"))
        else:
            sys.exit("keten: wrk not found: sudo apt-get install -y wrk")
    bron = subprocess.run(["git", "-C", ROOT, "describe", "--always", "--dirty"], capture_output=True, text=True).stdout.strip()
    model = next((r.split(":", 1)[1].strip() for r in open("/proc/cpuinfo") if r.startswith("model name")), "?")
    ram = next(int(r.split()[1]) // 1024 // 1024 for r in open("/proc/meminfo") if r.startswith("MemTotal"))
    start = time.time()
    kop = [f"# ketenregie, issue 17 benchmark ({'SMALL' if SMALL else 'full sizes'})", "",
           f"binary {BIN} (the checkout: {bron}); machine {os.cpu_count()} cores ({model}), {ram} GiB RAM; "
           f"load average at start {' '.join(f'{x:.1f}' for x in os.getloadavg())}; {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}",
           f"wrk -t1 (closed loop), {DURATION} s per run after {WARMUP} s warm-up, {ROUNDS} interleaved rounds (medians); "
           f"the service: {'release' if 'release build' in subprocess.check_output([BIN, '--version'], text=True) else 'NOT a release'} build, development mode, pool {POOL}, limits off; wrk, service and database share the cores.",
           "load = 1-min load average at the start of the measurement (median over rounds); RSS = the service's peak RSS "
           "(VmHWM) during the measurement (max over rounds)."]
    alles = {}
    with tempfile.TemporaryDirectory(prefix="ketenregie-keten-") as tmp:
        for naam in BACKENDS:
            if naam not in ("postgres", "sqlite"):
                sys.exit(f"keten: unknown backend {naam!r}")
            if naam == "postgres" and subprocess.call(["pg_isready", "-q", "-h", PGHOST, "-p", PGPORT]) != 0:
                log("SKIPPED postgres: pg_isready failed"); continue
            d = os.path.join(tmp, naam); os.makedirs(d)
            _, metingen, commands, notities = run_backend(naam, d)
            inbox = None
            if "inbox" in SECTIONS:
                log(f"{naam}: inbox at {INBOX_SIZES} (load {load1():.1f})")
                inbox = inbox_run(naam, commands)
            alles[naam] = (metingen, commands, notities, inbox)
            print_backend(naam, *alles[naam], kop if naam == next(iter(alles)) else None)
    print_samenvatting(alles)
    print(f"\ntotal wall time {(time.time() - start) / 60:.1f} min; load average at end {' '.join(f'{x:.1f}' for x in os.getloadavg())}")


def print_backend(naam, metingen, commands, notities, inbox, kop):
    if kop:
        print("\n".join(kop))
    print(f"\n## {naam}\n")
    for n in notities:
        print(f"- {n}")
    print()
    print("| measurement | data | c | req/s | p50 ms | p99 ms | errors | load | peak RSS MiB | rounds |")
    print("|---|---|---:|---:|---:|---:|---:|---:|---:|---|")
    for m in metingen:
        if getattr(m, "seconden", None) is not None:
            print(f"| {m.naam} | {m.data} | - | {m.seconden:.2f} s (wall) | | | | {m.load:.1f} | | |")
            continue
        print(f"| {m.naam} | {m.data} | {m.c} | {m.rps:,.0f} | {m.p50:.2f} | {m.p99:.2f} | {m.fout} | {m.load:.1f} | {f(m.rss, '.0f')} | {getattr(m, 'rondes', '')} |")
    if inbox:
        rijen, rss, ld, plannen = inbox
        print(f"\nInbox (benches/load/inbox.py; one connection, sequential; load at start {ld:.1f}):\n")
        print("| meldingen (one Veilig Thuis) | pageSize | page | p50 ms | p95 ms | p99 ms | count | load | peak RSS MiB |")
        print("|---:|---:|---|---:|---:|---:|---|---:|---:|")
        for r in rijen:
            print(f"| {r[1]:,} | {r[2]} | {r[3]} | {r[4]:.2f} | {r[5]:.2f} | {r[6]:.2f} | {r[8]} | {r[9]:.1f} | {f(rss.get(r[1]), '.0f')} |")
    print("\nCommands (PORT: the service's; TOKEN: a development token, `ketenregie token`, of the role named above; $TMP: the run's temp dir):\n")
    gezien = set()
    for m in metingen:
        if m.cmd and m.cmd not in gezien:
            gezien.add(m.cmd); print(f"    {m.cmd}")
    for c in commands:
        print(f"    {c}")
    sys.stdout.flush()


def zoek(metingen, naam, c=None):
    for m in metingen:
        if m.naam == naam and (c is None or m.c == c):
            return m


def print_samenvatting(alles):
    print("\n## Against issue 17's targets (figures only; nothing is asserted)\n")
    for naam, (metingen, _, _, inbox) in alles.items():
        o, z = zoek(metingen, "unlogged GET /organisaties/{id}"), zoek(metingen, "logged GET /zorgmeldingen/{id}")
        if o and z:
            print(f"- {naam}: logged read {z.rps:,.0f}/s = {100 * z.rps / o.rps:.0f}% of the unlogged {o.rps:,.0f}/s (target >= 70%); "
                  f"p50 {z.p50:.2f} vs {o.p50:.2f} ms = {100 * (z.p50 / o.p50 - 1):+.0f}% (target <= +30%)")
        p32, p4 = zoek(metingen, "POST /zorgmeldingen", CONC), zoek(metingen, "POST /zorgmeldingen", CONC_LAAG)
        if p32:
            print(f"- {naam}: POST /zorgmeldingen {p32.rps:,.0f}/s at c={CONC} (target on PostgreSQL >= 1,200/s)")
        if z and naam == "postgres":
            print(f"- {naam}: logged read {z.rps:,.0f}/s at c={CONC} (target >= 1,500/s)")
        if p4:
            print(f"- {naam}: POST /zorgmeldingen p99 {p4.p99:.1f} ms at c={CONC_LAAG} (target < 50 ms on PostgreSQL)")
        br = zoek(metingen, "briefing by BSN")
        if br:
            print(f"- {naam}: briefing by BSN {br.rps:,.0f}/s, p99 {br.p99:.1f} ms at c={br.c} on {br.data} (target on PostgreSQL "
                  f"at 1M persons / 3M incidents: >= 600/s, p99 < 100 ms)")
        zg = zoek(metingen, "logged GET /zorgmeldingen/{id}, big log")
        og = zoek(metingen, "unlogged GET /organisaties/{id}, big log")
        if z and zg and o and og:
            print(f"- {naam}: logged read with {zg.data.split(' (')[0]}: {zg.rps:,.0f}/s vs {z.rps:,.0f}/s on the small log "
                  f"({100 * (zg.rps / z.rps - 1):+.0f}%; target within 10%); relative to the unlogged read in the same rounds "
                  f"{100 * zg.rps / og.rps:.0f}% vs {100 * z.rps / o.rps:.0f}%")
        for m in metingen:
            if m.naam.startswith("POST /verwerkingen/_zoek"):
                print(f"- {naam}: {m.naam}: p99 {m.p99:.1f} ms (target < 100 ms)")
            if getattr(m, "seconden", None) is not None:
                print(f"- {naam}: {m.naam} in {m.seconden:.2f} s (target < 1 s)")
        if inbox:
            rijen = inbox[0]
            for ps in (20, 100):
                for wat in ("first page", "middle page (cursor)"):
                    r = [x for x in rijen if x[2] == ps and x[3] == wat]
                    if len(r) >= 2:
                        print(f"- {naam}: inbox pageSize={ps} {wat}: p50 {r[-1][4]:.2f} ms at {r[-1][1]:,} vs {r[0][4]:.2f} ms at "
                              f"{r[0][1]:,} = {r[-1][4] / r[0][4]:.2f}x (target <= 2x)")
        rss = [m.rss for m in metingen if m.rss is not None]
        if rss:
            print(f"- {naam}: the service's peak RSS over all loads {max(rss):.0f} MiB")


if __name__ == "__main__":
    main()
