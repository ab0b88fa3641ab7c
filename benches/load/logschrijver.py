#!/usr/bin/env python3
"""Benchmark of issue 17 points 1 and 2: the logged read `GET /zorgmeldingen/{id}`
(decision, decrypt, audit + processing-log rows through the log writer, sealed after
commit) side by side with the unlogged `GET /organisaties/{id}`, at the same concurrency,
against the release binary, on SQLite and PostgreSQL. Interleaved runs (organisaties,
zorgmeldingen, organisaties, ...); medians are reported. Traffic to 127.0.0.1 only.

    cargo build --release --locked
    python3 benches/load/logschrijver.py [--duration 10] [--runs 3] [--connections 32]
                                         [--meldingen 200] [--backends sqlite,postgres]

Prints per backend and route: requests/s, p50 and p99 (wrk's histogram), the ratio of the
logged read to the unlogged one, the log writer's batches (from the rows written and the
requests), the unsealed rows at the end, the server's peak RSS (VmHWM), the machine's
load average before and after, and the exact wrk commands.
"""
import argparse, http.client, json, os, re, shutil, socket, statistics, subprocess, sys, tempfile, time

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
BIN = os.path.join(ROOT, "target", "release", "ketenregie")

import gemeen
from gemeen import MELDING, verzoek, vrije_poort


def token(env, org, rol):
    return gemeen.token(BIN, env, org, rol, 240)

def tel(backend, db, stmt):
    if backend == "sqlite":
        import sqlite3
        c = sqlite3.connect(db); n = c.execute(stmt).fetchone()[0]; c.close(); return n
    return int(subprocess.check_output(["psql", "-tA", "-h", "127.0.0.1", "-U", "postgres", "-d", db, "-c", stmt], text=True))


def ms(waarde, eenheid):
    return float(waarde) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[eenheid]


def wrk(url, tok, conns, duur):
    cmd = ["wrk", "-t1", f"-c{conns}", f"-d{duur}s", "--latency", "-H", f"Authorization: Bearer {tok}", url]
    uit = subprocess.check_output(cmd, text=True)
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", uit).group(1))
    p50 = re.search(r"50%\s+([\d.]+)(us|ms|s)", uit); p99 = re.search(r"99%\s+([\d.]+)(us|ms|s)", uit)
    fout = re.search(r"Non-2xx or 3xx responses: (\d+)", uit)
    return rps, ms(*p50.groups()), ms(*p99.groups()), int(fout.group(1)) if fout else 0, " ".join(cmd[:-3] + ["-H", "'Authorization: Bearer …'", cmd[-1]])


def piek_rss(pid):
    try:
        with open(f"/proc/{pid}/status") as f:
            for regel in f:
                if regel.startswith("VmHWM:"):
                    return int(regel.split()[1]) // 1024
    except OSError:
        return None


def run(backend, args):
    tmp = tempfile.mkdtemp(prefix="ketenregie-ls-")
    poort = vrije_poort()
    if backend == "sqlite":
        db = os.path.join(tmp, "bench.db"); url = f"sqlite://{db}"
    else:
        db = f"ls_bench_{os.getpid()}"
        subprocess.check_call(["psql", "-q", "-h", "127.0.0.1", "-U", "postgres", "-d", "postgres", "-c", f"CREATE DATABASE {db}"])
        url = f"postgres://postgres@127.0.0.1:5432/{db}"
    env = dict(os.environ, KETENREGIE_SERVER__BIND=f"127.0.0.1:{poort}", KETENREGIE_DATABASE__URL=url,
               KETENREGIE_AUTH__DEV_SECRET_FILE=os.path.join(tmp, "secret"), KETENREGIE_LOG__FILTER="warn",
               KETENREGIE_DATABASE__POOL_SIZE="16",
               KETENREGIE_AUTH__MAX_LIFETIME_SECONDS="14400", KETENREGIE_LIMITS__CLIENT_PER_SECOND="0",
               KETENREGIE_LIMITS__USER_PER_SECOND="0", KETENREGIE_LIMITS__BRIEFINGS_PER_DAY="0",
               KETENREGIE_LIMITS__PERSON_LOOKUPS_PER_DAY="0")
    server = gemeen.start_dienst([BIN, "serve"], env, os.path.join(tmp, "server.log"))
    try:
        gemeen.wacht_op_gereed(server, poort)
        admin = token(env, "ketenregie-platform", "platformbeheerder")
        c = http.client.HTTPConnection("127.0.0.1", poort, timeout=30)
        st, body = verzoek(c, "POST", "/api/v1/organisaties", admin, {"code": "politie-den-haag", "naam": "Politie Den Haag", "soort": "politie"})
        assert st == 201, st
        org_id = json.loads(body)["id"]
        # The agreement that lets the Veilig Thuis read the police's meldingen, made and
        # signed by both parties' functional admins (as the tests' `convenant_van_kracht`).
        regel = {"organisatieSoort": "veilig-thuis", "rollen": ["triagist"], "acties": ["lezen", "wijzigen"],
                 "categorieen": ["identificatie", "bsn", "gezinssituatie", "politiegegevens", "melder-identiteit"],
                 "doel": "veiligheidsbeoordeling", "maxVertrouwelijkheid": "vertrouwelijk",
                 "grondslag": {"code": "Wmo 2015 art. 4.1.1 lid 2 sub g", "omschrijving": "benchmark"}}
        convenant = {"titel": "Benchmark zorgmeldingen",
                     "partijen": [{"organisatie": "politie-den-haag", "rol": "melder"}, {"organisatie": "veilig-thuis-haaglanden", "rol": "ontvanger"}],
                     "doelen": ["veiligheidsbeoordeling"],
                     "categorieen": ["identificatie", "bsn", "gezinssituatie", "politiegegevens", "melder-identiteit"],
                     "regels": [regel]}
        st, body = verzoek(c, "POST", "/api/v1/convenanten", token(env, "politie-den-haag", "functioneel-beheerder"), convenant)
        assert st == 201, (st, body)
        cid = json.loads(body)["id"]
        for org in ("politie-den-haag", "veilig-thuis-haaglanden"):
            fb = token(env, org, "functioneel-beheerder")
            st, body = verzoek(c, "GET", f"/api/v1/convenanten/{cid}", fb); assert st == 200, (st, body)
            st, body = verzoek(c, "POST", f"/api/v1/convenanten/{cid}/ondertekeningen", fb, {"inhoudHash": json.loads(body)["inhoudHash"]})
            assert st == 200, (st, body)
        agent = token(env, "politie-den-haag", "wijkagent")
        vt = token(env, "veilig-thuis-haaglanden", "triagist")
        ids = []
        for _ in range(args.meldingen):
            st, body = verzoek(c, "POST", "/api/v1/zorgmeldingen", agent, MELDING); assert st == 201, (st, body)
            mid = json.loads(body)["id"]; ids.append(mid)
            st, _ = verzoek(c, "POST", f"/api/v1/zorgmeldingen/{mid}/indieningen", agent, {}); assert st == 200, st
        mid = ids[len(ids) // 2]
        st, b = verzoek(c, "GET", f"/api/v1/zorgmeldingen/{mid}", vt); assert st == 200, (st, b)
        st, _ = verzoek(c, "GET", f"/api/v1/organisaties/{org_id}", vt); assert st == 200, st
        base = f"http://127.0.0.1:{poort}/api/v1"
        routes = [("GET /organisaties/{id}", f"{base}/organisaties/{org_id}"),
                  ("GET /zorgmeldingen/{id}", f"{base}/zorgmeldingen/{mid}")]
        wrk(routes[0][1], vt, args.connections, 2); wrk(routes[1][1], vt, args.connections, 2)  # warm-up
        load_voor = os.getloadavg()
        uit = {naam: [] for naam, _ in routes}
        cmds = {}
        for _ in range(args.runs):
            for naam, u in routes:
                rps, p50, p99, fout, cmd = wrk(u, vt, args.connections, args.duration)
                assert fout == 0, f"{naam}: {fout} answers not 2xx"
                uit[naam].append((rps, p50, p99)); cmds[naam] = cmd
        load_na = os.getloadavg()
        rss = piek_rss(server.pid)
        time.sleep(1)  # the sealer's last passes
        grootte = {t: tel(backend, db, f"SELECT count(*) FROM {t}") for t in ("zorgmeldingen", "audittrail", "verwerkingslog")}
        onverzegeld = tel(backend, db, "SELECT (SELECT count(*) FROM audittrail WHERE volgnummer = 0) + (SELECT count(*) FROM verwerkingslog WHERE volgnummer = 0)")
        return uit, cmds, load_voor, load_na, rss, grootte, onverzegeld
    finally:
        gemeen.stop_dienst(server)
        if backend == "postgres":
            subprocess.call(["psql", "-q", "-h", "127.0.0.1", "-U", "postgres", "-d", "postgres", "-c", f"DROP DATABASE IF EXISTS {db} WITH (FORCE)"])
        shutil.rmtree(tmp, ignore_errors=True)


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--duration", type=int, default=10)
    p.add_argument("--runs", type=int, default=3)
    p.add_argument("--connections", type=int, default=32)
    p.add_argument("--meldingen", type=int, default=200)
    p.add_argument("--backends", default="sqlite,postgres")
    p.add_argument("--bin", default=BIN, help="the service binary (default: the release build)")
    args = p.parse_args()
    globals()["BIN"] = args.bin
    if not os.path.exists(BIN):
        sys.exit(f"{BIN} missing: cargo build --release --locked")
    print(f"binary: {BIN}")
    print(f"machine: {os.cpu_count()} cores; wrk -t1 closed loop, c={args.connections}, {args.runs} interleaved runs of {args.duration} s, medians")
    for backend in args.backends.split(","):
        uit, cmds, lv, ln, rss, grootte, onverzegeld = run(backend, args)
        print(f"\n## {backend}: {grootte['zorgmeldingen']} zorgmeldingen; after the runs {grootte['audittrail']} audit rows, {grootte['verwerkingslog']} processing-log rows, {onverzegeld} unsealed 1 s after the load")
        print(f"load average before {lv[0]:.1f}, after {ln[0]:.1f} (1 min); server peak RSS {rss} MiB")
        med = {}
        for naam, rijen in uit.items():
            m = tuple(statistics.median(x[i] for x in rijen) for i in range(3))
            med[naam] = m
            print(f"| {naam} | {m[0]:,.0f}/s | p50 {m[1]:.2f} ms | p99 {m[2]:.2f} ms | runs: {', '.join(f'{x[0]:,.0f}' for x in rijen)} |")
        o, z = med["GET /organisaties/{id}"], med["GET /zorgmeldingen/{id}"]
        print(f"logged/unlogged: throughput {100 * z[0] / o[0]:.0f}%, p50 {z[1] / o[1]:.2f}x")
        for naam, cmd in cmds.items():
            print(f"  {naam}: {cmd}")


if __name__ == "__main__":
    main()
