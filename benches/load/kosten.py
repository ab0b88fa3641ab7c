#!/usr/bin/env python3
"""Cost per request, independent of the machine's load (issue 17 points 1-4): for the
unlogged GET /organisaties/{id}, the logged GET /zorgmeldingen/{id} and POST
/zorgmeldingen, against the release binary, on PostgreSQL and SQLite:

  - CPU milliseconds per request of the service (utime+stime of its process, from
    /proc/PID/stat) and, on PostgreSQL, of the backends serving this database (the pids in
    pg_stat_activity for it; the shared WAL writer and checkpointer are not counted) and
    of all postgres processes (`pgrep postgres`; includes other users of the server);
  - database round trips per request (the service's `ketenregie_db_rondes_total`, every
    statement including BEGIN/COMMIT) and, on PostgreSQL, transactions per request
    (pg_stat_database xact_commit + xact_rollback);
  - the log writer's batches (`ketenregie_logschrijver_batches_total`);
  - on PostgreSQL with pg_stat_statements (created in the database `postgres`), WAL bytes
    and WAL records per request: of the log writer's batch statement (`WITH d0 AS (INSERT
    INTO "audittrail" ...`; since h18 `... INTO audittrail (...) SELECT * FROM unnest(..)`:
    a read batch's log rows and head moves; a change writes its log rows in its own
    statement, counted only under "all") and of every statement of this
    database (`-` without the extension). WAL bytes include full-page images after a
    checkpoint, so compare runs of several seconds, interleaved.

Throughput is printed too, with the load average, but on a shared machine it is noise;
the CPU and round-trip figures are what to compare between builds.

    cargo build --release --locked
    python3 benches/load/kosten.py [--duration 5] [--connections 32] [--backends postgres,sqlite]
                                   [--bin target/release/ketenregie] [--perf ROUTE]

--zonder-verzegelaar: the sealer's interval set to an hour (`privacy.log_seal_interval_ms`),
so the figures leave out the sealing of the log rows (its share is the difference).
--perf ROUTE (org, lees, maak): also `perf record -g` the service during that route's run
and leave perf.data in the current directory (then `perf report --no-children`).
POOL_SIZE (environment, default 16): the service's database pool.
Traffic to 127.0.0.1 only.
"""
import argparse, http.client, json, os, re, shutil, subprocess, sys, tempfile, time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.dont_write_bytecode = True
import gemeen  # noqa: E402
from gemeen import MELDING, verzoek, vrije_poort  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(HERE))
LUA = os.path.join(HERE, "keten.lua")
TICK = os.sysconf("SC_CLK_TCK")


def cpu_s(pid):
    """utime+stime of a process in seconds (0 if it is gone)."""
    try:
        with open(f"/proc/{pid}/stat") as f:
            velden = f.read().rsplit(")", 1)[1].split()
        return (int(velden[11]) + int(velden[12])) / TICK
    except OSError:
        return 0.0


def psql(db, stmt):
    return subprocess.check_output(["psql", "-tA", "-h", "127.0.0.1", "-U", "postgres", "-d", db, "-c", stmt], text=True).strip()


def metriek(poort, naam):
    c = http.client.HTTPConnection("127.0.0.1", poort, timeout=10)
    c.request("GET", "/metrics"); tekst = c.getresponse().read().decode()
    m = re.search(rf"^{naam} ([0-9.e+]+)$", tekst, re.M)
    return float(m.group(1)) if m else float("nan")


def wal(db):
    """(WAL bytes, WAL records) so far of the log insert statement and of every statement of
    database `db`, from pg_stat_statements (cumulative; None without the extension)."""
    try:
        r = subprocess.run(["psql", "-tA", "-F", " ", "-h", "127.0.0.1", "-U", "postgres", "-d", "postgres", "-c",
                            "SELECT coalesce(sum(s.wal_bytes) FILTER (WHERE s.query ~ '^WITH d0 AS \\(INSERT INTO \"?audittrail\"? '), 0), "
                            "coalesce(sum(s.wal_records) FILTER (WHERE s.query ~ '^WITH d0 AS \\(INSERT INTO \"?audittrail\"? '), 0), "
                            "coalesce(sum(s.wal_bytes), 0), coalesce(sum(s.wal_records), 0) "
                            f"FROM pg_stat_statements s JOIN pg_database d ON d.oid = s.dbid WHERE d.datname = '{db}'"],
                           capture_output=True, text=True)
        return [float(x) for x in r.stdout.split()] if r.returncode == 0 and r.stdout.strip() else None
    except OSError:
        return None


class Stand:
    """The counters at one moment."""

    def __init__(self, b):
        self.dienst = cpu_s(b.server.pid)
        self.rondes = metriek(b.poort, "ketenregie_db_rondes_total")
        self.batches = metriek(b.poort, "ketenregie_logschrijver_batches_total")
        self.eigen = self.alle = self.tx = 0.0
        if b.backend == "postgres":
            pids = psql(b.db, f"SELECT pid FROM pg_stat_activity WHERE datname = '{b.db}' AND pid <> pg_backend_pid()").split()
            self.eigen_pids = {p: cpu_s(p) for p in pids}
            self.alle_pids = {p: cpu_s(p) for p in subprocess.check_output(["pgrep", "postgres"], text=True).split()}
            self.tx = float(psql(b.db, f"SELECT xact_commit + xact_rollback FROM pg_stat_database WHERE datname = '{b.db}'"))
            self.wal = wal(b.db)

    def min(self, voor, b):
        """The differences since `voor` (for backends started in between: since 0)."""
        d = {"dienst": self.dienst - voor.dienst, "rondes": self.rondes - voor.rondes, "batches": self.batches - voor.batches}
        if b.backend == "postgres":
            d["eigen"] = sum(v - voor.eigen_pids.get(p, 0.0) for p, v in self.eigen_pids.items())
            d["alle"] = sum(v - voor.alle_pids.get(p, 0.0) for p, v in self.alle_pids.items())
            d["tx"] = self.tx - voor.tx - 2  # the two psql look-ups of `Stand` itself
            d["wal"] = [n - v for n, v in zip(self.wal, voor.wal)] if self.wal and voor.wal else None
        return d


class Dienst:
    def __init__(self, backend, binary, tmp, zonder_verzegelaar=False):
        self.backend, self.bin, self.tmp = backend, binary, tmp
        self.poort = vrije_poort()
        if backend == "sqlite":
            self.db = os.path.join(tmp, "kosten.db"); url = f"sqlite://{self.db}"
        else:
            self.db = f"kosten_{os.getpid()}"
            psql("postgres", f"CREATE DATABASE {self.db}")
            url = f"postgres://postgres@127.0.0.1:5432/{self.db}"
        self.env = dict(os.environ, KETENREGIE_SERVER__BIND=f"127.0.0.1:{self.poort}", KETENREGIE_DATABASE__URL=url,
                        KETENREGIE_AUTH__DEV_SECRET_FILE=os.path.join(tmp, "secret"), KETENREGIE_LOG__FILTER="warn",
                        KETENREGIE_DATABASE__POOL_SIZE=os.environ.get("POOL_SIZE", "16"), KETENREGIE_AUTH__MAX_LIFETIME_SECONDS="14400",
                        KETENREGIE_LIMITS__CLIENT_PER_SECOND="0", KETENREGIE_LIMITS__USER_PER_SECOND="0",
                        KETENREGIE_LIMITS__BRIEFINGS_PER_DAY="0", KETENREGIE_LIMITS__PERSON_LOOKUPS_PER_DAY="0")
        if zonder_verzegelaar:
            self.env["KETENREGIE_PRIVACY__LOG_SEAL_INTERVAL_MS"] = "3600000"
        self.server = gemeen.start_dienst([binary, "serve"], self.env, os.path.join(tmp, "server.log"))
        gemeen.wacht_op_gereed(self.server, self.poort, 60, f"{tmp}/server.log")

    def token(self, org, rol):
        return gemeen.token(self.bin, self.env, org, rol, 240)

    def stop(self):
        gemeen.stop_dienst(self.server)
        if self.backend == "postgres":
            subprocess.call(["psql", "-q", "-h", "127.0.0.1", "-U", "postgres", "-d", "postgres", "-c",
                             f"DROP DATABASE IF EXISTS {self.db} WITH (FORCE)"])


def opzet(d):
    """The police, the Veilig Thuis agreement signed by both, 20 submitted meldingen."""
    admin = d.token("ketenregie-platform", "platformbeheerder")
    c = http.client.HTTPConnection("127.0.0.1", d.poort, timeout=30)
    st, body = verzoek(c, "POST", "/api/v1/organisaties", admin, {"code": "politie-den-haag", "naam": "Politie Den Haag", "soort": "politie"})
    assert st == 201, st
    org_id = json.loads(body)["id"]
    cat = ["identificatie", "bsn", "gezinssituatie", "politiegegevens", "melder-identiteit"]
    regel = {"organisatieSoort": "veilig-thuis", "rollen": ["triagist"], "acties": ["lezen", "wijzigen"], "categorieen": cat,
             "doel": "veiligheidsbeoordeling", "maxVertrouwelijkheid": "vertrouwelijk",
             "grondslag": {"code": "Wmo 2015 art. 4.1.1 lid 2 sub g", "omschrijving": "benchmark"}}
    convenant = {"titel": "Benchmark", "partijen": [{"organisatie": "politie-den-haag", "rol": "melder"},
                                                     {"organisatie": "veilig-thuis-haaglanden", "rol": "ontvanger"}],
                 "doelen": ["veiligheidsbeoordeling"], "categorieen": cat, "regels": [regel]}
    st, body = verzoek(c, "POST", "/api/v1/convenanten", d.token("politie-den-haag", "functioneel-beheerder"), convenant)
    assert st == 201, (st, body)
    cid = json.loads(body)["id"]
    for org in ("politie-den-haag", "veilig-thuis-haaglanden"):
        fb = d.token(org, "functioneel-beheerder")
        st, body = verzoek(c, "GET", f"/api/v1/convenanten/{cid}", fb); assert st == 200, (st, body)
        st, body = verzoek(c, "POST", f"/api/v1/convenanten/{cid}/ondertekeningen", fb, {"inhoudHash": json.loads(body)["inhoudHash"]})
        assert st == 200, (st, body)
    agent = d.token("politie-den-haag", "wijkagent")
    ids = []
    for _ in range(20):
        st, body = verzoek(c, "POST", "/api/v1/zorgmeldingen", agent, MELDING); assert st == 201, (st, body)
        mid = json.loads(body)["id"]; ids.append(mid)
        st, _ = verzoek(c, "POST", f"/api/v1/zorgmeldingen/{mid}/indieningen", agent, {}); assert st == 200, st
    vt = d.token("veilig-thuis-haaglanden", "triagist")
    bf = os.path.join(d.tmp, "melding.json")
    with open(bf, "w") as f:
        json.dump(MELDING, f)
    return {"org": ("GET", f"/api/v1/organisaties/{org_id}", vt, None),
            "lees": ("GET", f"/api/v1/zorgmeldingen/{ids[10]}", vt, None),
            "maak": ("POST", "/api/v1/zorgmeldingen", agent, bf)}


def meet(d, naam, route, conns, duur, perf):
    methode, pad, tok, bf = route
    omg = dict(os.environ, TOKEN=tok, METHOD=methode, BODY_FILE=bf or "")
    cmd = ["wrk", "-t1", f"-c{conns}", f"-d{duur}s", "--timeout", "10s", "-s", LUA, f"http://127.0.0.1:{d.poort}{pad}"]
    subprocess.run(cmd[:3] + ["-d1s"] + cmd[4:], env=omg, stdout=subprocess.DEVNULL, check=True)  # warm-up
    load = os.getloadavg()[0]
    voor = Stand(d)
    p = None
    if perf == naam:
        p = subprocess.Popen(["perf", "record", "-g", "-o", "perf.data", "-p", str(d.server.pid)],
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    uit = subprocess.run(cmd, env=omg, capture_output=True, text=True, check=True).stdout
    if p:
        p.send_signal(2); p.wait()
    time.sleep(0.3)  # the sealer's pass after the last batch belongs to this run
    na = Stand(d)
    kv = dict(x.split("=") for x in re.search(r"^RESULT (.*)$", uit, re.M).group(1).split())
    n = int(kv["requests"])
    d_ = na.min(voor, d)
    r = {"route": naam, "n": n, "rps": n / (int(kv["duration_us"]) / 1e6), "p50": int(kv["p50_us"]) / 1000,
         "p99": int(kv["p99_us"]) / 1000, "fout": int(kv["errors"]) + int(kv["non2xx"]), "load": load,
         "dienst_ms": 1000 * d_["dienst"] / n, "rondes": d_["rondes"] / n, "per_batch": n / d_["batches"] if d_["batches"] else 0}
    if d.backend == "postgres":
        r.update(pg_ms=1000 * d_["eigen"] / n, pg_alle_ms=1000 * d_["alle"] / n, tx=d_["tx"] / n)
        r["wal"] = [x / n for x in d_["wal"]] if d_["wal"] else None
    return r


def main():
    a = argparse.ArgumentParser()
    a.add_argument("--duration", type=int, default=5)
    a.add_argument("--connections", type=int, default=32)
    a.add_argument("--backends", default="postgres,sqlite")
    a.add_argument("--routes", default="org,lees,maak")
    a.add_argument("--bin", default=os.path.join(ROOT, "target", "release", "ketenregie"))
    a.add_argument("--perf", default="")
    a.add_argument("--zonder-verzegelaar", action="store_true")
    args = a.parse_args()
    print(f"binary {args.bin}; {os.cpu_count()} cores; wrk -t1 -c{args.connections} -d{args.duration}s after 1 s warm-up; "
          f"{time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}" + ("; sealer off" if args.zonder_verzegelaar else ""))
    print("| backend | route | requests | req/s | p50 ms | p99 ms | errors | load | service CPU ms/req | PG own backends CPU ms/req | all postgres CPU ms/req | round trips/req | PG transactions/req | requests/log batch | "
          "WAL B/req log insert | WAL records/req log insert | WAL B/req all | WAL records/req all |")
    print("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for backend in args.backends.split(","):
        tmp = tempfile.mkdtemp(prefix="ketenregie-kosten-")
        d = Dienst(backend, args.bin, tmp, args.zonder_verzegelaar)
        try:
            routes = opzet(d)
            for naam in args.routes.split(","):
                r = meet(d, naam, routes[naam], args.connections, args.duration, args.perf)
                pg = (f"{r['pg_ms']:.3f} | {r['pg_alle_ms']:.3f}", f"{r['tx']:.2f}") if backend == "postgres" else ("- | -", "-")
                w = r.get("wal")
                wal_ = f"{w[0]:,.0f} | {w[1]:.1f} | {w[2]:,.0f} | {w[3]:.1f}" if w else "- | - | - | -"
                print(f"| {backend} | {naam} | {r['n']:,} | {r['rps']:,.0f} | {r['p50']:.2f} | {r['p99']:.2f} | {r['fout']} | {r['load']:.1f} | "
                      f"{r['dienst_ms']:.3f} | {pg[0]} | {r['rondes']:.2f} | {pg[1]} | {r['per_batch']:.1f} | {wal_} |", flush=True)
        finally:
            d.stop()
            shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
