#!/usr/bin/env python3
"""Benchmark: filing throughput of zorgmeldingen (create + submit, so with both logs,
encryption and routing) and inbox listing latency with a large table, against the release
binary, on SQLite and PostgreSQL. Standard library only; traffic to 127.0.0.1 only.

    cargo build --release --locked
    python3 benches/load/zorgmeldingen.py [--filings 3000] [--rows 100000] [--threads 8]

Filing is measured on real API calls. The table is then grown to --rows by copying the
filed rows in SQL (same shape: all routed to one Veilig Thuis), and the inbox of that
Veilig Thuis is listed, page after page, to measure latency at that size.
"""
import argparse, http.client, json, os, shutil, socket, statistics, subprocess, sys, tempfile, threading, time

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
BIN = os.path.join(ROOT, "target", "release", "ketenregie")

import gemeen
from gemeen import MELDING, pctl, sql, verzoek, vrije_poort


def token(env, org, rol):
    return gemeen.token(BIN, env, org, rol, 120)

def tel(backend, db):
    if backend == "sqlite":
        import sqlite3
        c = sqlite3.connect(db); n = c.execute("SELECT count(*) FROM zorgmeldingen").fetchone()[0]; c.close(); return n
    return int(subprocess.check_output(["psql", "-tA", "-h", "127.0.0.1", "-U", "postgres", "-d", db, "-c", "SELECT count(*) FROM zorgmeldingen"], text=True))


def run(backend, args):
    tmp = tempfile.mkdtemp(prefix="ketenregie-zm-")
    poort = vrije_poort()
    if backend == "sqlite":
        db = os.path.join(tmp, "bench.db"); url = f"sqlite://{db}"
    else:
        db = f"zm_bench_{os.getpid()}"
        subprocess.check_call(["psql", "-q", "-h", "127.0.0.1", "-U", "postgres", "-d", "postgres", "-c", f"CREATE DATABASE {db}"])
        url = f"postgres://postgres@127.0.0.1:5432/{db}"
    env = dict(os.environ, KETENREGIE_SERVER__BIND=f"127.0.0.1:{poort}", KETENREGIE_DATABASE__URL=url,
               KETENREGIE_AUTH__DEV_SECRET_FILE=os.path.join(tmp, "secret"), KETENREGIE_LOG__FILTER="warn",
               # Throughput, not limits: long-lived tokens, rate limits off (README "Limieten").
               KETENREGIE_AUTH__MAX_LIFETIME_SECONDS="14400", KETENREGIE_LIMITS__CLIENT_PER_SECOND="0",
               KETENREGIE_LIMITS__USER_PER_SECOND="0")
    server = gemeen.start_dienst([BIN, "serve"], env, os.path.join(tmp, "server.log"))
    try:
        gemeen.wacht_op_gereed(server, poort)
        admin = token(env, "ketenregie-platform", "platformbeheerder")
        c = http.client.HTTPConnection("127.0.0.1", poort, timeout=30)
        st, _ = verzoek(c, "POST", "/api/v1/organisaties", admin, {"code": "politie-den-haag", "naam": "Politie Den Haag", "soort": "politie"})
        assert st == 201, st
        agent = token(env, "politie-den-haag", "wijkagent")
        vt = token(env, "veilig-thuis-haaglanden", "triagist")

        # Filing throughput: create + submit, in parallel connections.
        per = args.filings // args.threads
        fouten = []
        def werker():
            conn = http.client.HTTPConnection("127.0.0.1", poort, timeout=60)
            for _ in range(per):
                st, body = verzoek(conn, "POST", "/api/v1/zorgmeldingen", agent, MELDING)
                if st != 201: fouten.append(st); continue
                mid = json.loads(body)["id"]
                st, _ = verzoek(conn, "POST", f"/api/v1/zorgmeldingen/{mid}/indieningen", agent, {})
                if st != 200: fouten.append(st)
        t0 = time.perf_counter()
        threads = [threading.Thread(target=werker) for _ in range(args.threads)]
        for t in threads: t.start()
        for t in threads: t.join()
        duur = time.perf_counter() - t0
        gearchiveerd = per * args.threads
        filing = (gearchiveerd / duur, gearchiveerd, len(fouten))

        # Grow the table by copying rows (same shape) to the requested size.
        while tel(backend, db) < args.rows:
            nieuw = "lower(hex(randomblob(16)))" if backend == "sqlite" else "replace(gen_random_uuid()::text, '-', '')"
            sql(backend, db, f"INSERT INTO zorgmeldingen (id, groep_id, bovenliggend_id, afzender, ontvanger, meldingstatus, taakstatus, bedrijfsstatus, acuut, gemeenten, inhoud, vertrouwelijkheid, versie, aangemaakt_door, aangemaakt_op, ingediend_op, gewijzigd_op) "
                                f"SELECT {nieuw}, groep_id, bovenliggend_id, afzender, ontvanger, meldingstatus, taakstatus, bedrijfsstatus, acuut, gemeenten, inhoud, vertrouwelijkheid, versie, aangemaakt_door, aangemaakt_op, ingediend_op, gewijzigd_op FROM zorgmeldingen")
        rijen = tel(backend, db)
        if backend == "postgres":
            # Steady state: autovacuum would have run; index-only scans need the visibility map.
            sql(backend, db, "VACUUM ANALYZE zorgmeldingen")

        # Inbox latency: the Veilig Thuis pages through its inbox (20 per page) and polls.
        c = http.client.HTTPConnection("127.0.0.1", poort, timeout=60)
        lat = {}
        for naam, pad in [("inbox page 1", "/api/v1/zorgmeldingen?richting=ontvangen&pageSize=20"),
                          ("inbox page 50", "/api/v1/zorgmeldingen?richting=ontvangen&pageSize=20&page=50"),
                          ("poll gewijzigdSinds", "/api/v1/zorgmeldingen?richting=ontvangen&gewijzigdSinds=2100-01-01T00:00:00Z")]:
            xs = []
            for _ in range(args.requests):
                t = time.perf_counter(); st, _ = verzoek(c, "GET", pad, vt); xs.append((time.perf_counter() - t) * 1000)
                assert st == 200, st
            lat[naam] = (pctl(xs, 50), pctl(xs, 95), pctl(xs, 99))
        return filing, rijen, lat
    finally:
        gemeen.stop_dienst(server)
        if backend == "postgres":
            subprocess.call(["psql", "-q", "-h", "127.0.0.1", "-U", "postgres", "-d", "postgres", "-c", f"DROP DATABASE IF EXISTS {db} WITH (FORCE)"])
        shutil.rmtree(tmp, ignore_errors=True)


def main():
    a = argparse.ArgumentParser()
    a.add_argument("--filings", type=int, default=3000)
    a.add_argument("--rows", type=int, default=100000)
    a.add_argument("--threads", type=int, default=8)
    a.add_argument("--requests", type=int, default=200)
    a.add_argument("--backends", default="sqlite,postgres")
    args = a.parse_args()
    if not os.path.exists(BIN):
        sys.exit("build first: cargo build --release --locked")
    print(f"zorgmeldingen: {args.filings} filings (create + submit) over {args.threads} connections; inbox listed {args.requests}x per query")
    print("| backend | filings/s | filed | errors | rows in table | query | p50 ms | p95 ms | p99 ms |")
    print("|---|---:|---:|---:|---:|---|---:|---:|---:|")
    for b in args.backends.split(","):
        (fps, n, err), rijen, lat = run(b, args)
        for q, (p50, p95, p99) in lat.items():
            print(f"| {b} | {fps:.0f} | {n} | {err} | {rijen} | {q} | {p50:.2f} | {p95:.2f} | {p99:.2f} |")
        sys.stdout.flush()


if __name__ == "__main__":
    main()
