#!/usr/bin/env python3
"""Benchmark (issue 17 point 5): the Veilig Thuis inbox page at 1k, 20k and 200k meldingen
for one Veilig Thuis, 20 and 100 per page, on SQLite and PostgreSQL, against the release
binary. Prints figures; asserts nothing. Standard library only; traffic to 127.0.0.1 only.

    cargo build --release --locked
    python3 benches/load/inbox.py [--sizes 1000,20000,200000] [--requests 300] [--backends sqlite,postgres] [--bin PATH]

Per backend and size: one service on its own database; 20 meldingen filed through the API
(create + submit, routed to Veilig Thuis Haaglanden); the table then grown in SQL by
copying those rows (same shape, same receiver) with change times spread over three years
(PostgreSQL: VACUUM ANALYZE after, the steady state autovacuum reaches). The services of
all sizes run at once and are asked round robin, `--requests` times each, for:
  - the first page (`?richting=ontvangen&pageSize=N`), as the werkplek and a poller do;
  - a page in the middle of the history, by cursor (the key of the middle row, as the
    `next` link would carry it after paging there).
Latency is measured at the client (p50, p95, p99 and min in ms, one connection, no think
time), every size and query in turn. On PostgreSQL the plan of the page, of the count
probe and of the exact count(*) the code ran before is printed with the buffers it touched.
"""
import argparse, base64, http.client, json, os, shutil, socket, subprocess, sys, tempfile, time

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
BIN = os.path.join(ROOT, "target", "release", "ketenregie")

import gemeen
from gemeen import MELDING, pctl, sql, verzoek, vrije_poort


def token(env, org, rol):
    return gemeen.token(BIN, env, org, rol, 240)


KOLOMMEN = ("groep_id, bovenliggend_id, afzender, ontvanger, meldingstatus, taakstatus, bedrijfsstatus, acuut, "
            "gemeenten, inhoud, vertrouwelijkheid, versie, aangemaakt_door, aangemaakt_op, ingediend_op")


def vraag(backend, db, stmt):
    if backend == "sqlite":
        import sqlite3
        c = sqlite3.connect(db); r = c.execute(stmt).fetchone(); c.close(); return r
    out = subprocess.check_output(["psql", "-tA", "-F", "|", "-h", "127.0.0.1", "-U", "postgres", "-d", db, "-c", stmt], text=True)
    return out.strip().split("|")


def groei(backend, db, doel):
    """Copy rows until the table holds `doel` rows, change times spread over three years."""
    while True:
        n = int(vraag(backend, db, "SELECT count(*) FROM zorgmeldingen")[0])
        if n >= doel:
            return n
        erbij = min(doel - n, n)
        if backend == "sqlite":
            nieuw = ("lower(substr(hex(randomblob(4)),1,8) || '-' || substr(hex(randomblob(2)),1,4) || '-4' || substr(hex(randomblob(2)),1,3) "
                     "|| '-8' || substr(hex(randomblob(2)),1,3) || '-' || hex(randomblob(6)))")
            tijd = "strftime('%Y-%m-%d %H:%M:%f', gewijzigd_op, '-' || (abs(random()) % 94608000) || ' seconds')"
        else:
            nieuw = "gen_random_uuid()::text"
            tijd = "gewijzigd_op - random() * interval '1095 days'"
        sql(backend, db, f"INSERT INTO zorgmeldingen (id, {KOLOMMEN}, gewijzigd_op) "
                         f"SELECT {nieuw}, {KOLOMMEN}, {tijd} FROM zorgmeldingen LIMIT {erbij}")


def cursor_midden(backend, db, vt):
    n = int(vraag(backend, db, f"SELECT count(*) FROM zorgmeldingen WHERE ontvanger = '{vt}'")[0])
    ts, mid = vraag(backend, db, f"SELECT gewijzigd_op, id FROM zorgmeldingen WHERE ontvanger = '{vt}' "
                                 f"ORDER BY gewijzigd_op DESC, id DESC LIMIT 1 OFFSET {n // 2}")
    ts = str(ts).replace(" ", "T")
    # The cursor form of store::venster (what the `next` link carries).
    vorm = json.dumps({"l": "zorgmeldingen", "a": False, "k": [ts, mid]}, separators=(",", ":"))
    return base64.urlsafe_b64encode(vorm.encode()).decode().rstrip("=")


def start(backend, grootte, tmp):
    """A service on its own database grown to `grootte` meldingen for one Veilig Thuis."""
    poort = vrije_poort()
    if backend == "sqlite":
        db = os.path.join(tmp, f"bench-{grootte}.db"); url = f"sqlite://{db}"
    else:
        db = f"inbox_bench_{os.getpid()}_{grootte}"
        subprocess.check_call(["psql", "-q", "-h", "127.0.0.1", "-U", "postgres", "-d", "postgres", "-c", f"CREATE DATABASE {db}"])
        url = f"postgres://postgres@127.0.0.1:5432/{db}"
    env = dict(os.environ, KETENREGIE_SERVER__BIND=f"127.0.0.1:{poort}", KETENREGIE_DATABASE__URL=url,
               KETENREGIE_AUTH__DEV_SECRET_FILE=os.path.join(tmp, "secret"), KETENREGIE_LOG__FILTER="warn",
               KETENREGIE_AUTH__MAX_LIFETIME_SECONDS="14400", KETENREGIE_LIMITS__CLIENT_PER_SECOND="0",
               KETENREGIE_LIMITS__USER_PER_SECOND="0")
    server = gemeen.start_dienst([BIN, "serve"], env, os.path.join(tmp, f"server-{grootte}.log"))
    s = {"backend": backend, "db": db, "server": server, "poort": poort, "env": env}
    try:
        return klaarzetten(s, backend, db, grootte, poort, env)
    except BaseException:
        stop(s)  # not yet in the caller's list: stop it (and drop its database) here
        raise


def klaarzetten(s, backend, db, grootte, poort, env):
    """Wait for the service of `s`, then grow its database to `grootte` meldingen."""
    server = s["server"]
    gemeen.wacht_op_gereed(server, poort)
    admin = token(env, "ketenregie-platform", "platformbeheerder")
    c = http.client.HTTPConnection("127.0.0.1", poort, timeout=60)
    st, _ = verzoek(c, "POST", "/api/v1/organisaties", admin, {"code": "politie-den-haag", "naam": "Politie Den Haag", "soort": "politie"})
    assert st == 201, st
    agent = token(env, "politie-den-haag", "wijkagent")
    s["vt_code"] = "veilig-thuis-haaglanden"
    s["vt"] = token(env, s["vt_code"], "triagist")
    for _ in range(20):
        st, body = verzoek(c, "POST", "/api/v1/zorgmeldingen", agent, MELDING); assert st == 201, st
        st, _ = verzoek(c, "POST", f"/api/v1/zorgmeldingen/{json.loads(body)['id']}/indieningen", agent, {}); assert st == 200, st
    s["rijen"] = groei(backend, db, grootte)
    if backend == "postgres":
        sql(backend, db, "VACUUM ANALYZE zorgmeldingen")
    s["midden"] = cursor_midden(backend, db, s["vt_code"])
    return s


def stop(s):
    gemeen.stop_dienst(s["server"])
    if s["backend"] == "postgres":
        subprocess.call(["psql", "-q", "-h", "127.0.0.1", "-U", "postgres", "-d", "postgres", "-c", f"DROP DATABASE IF EXISTS {s['db']} WITH (FORCE)"])


def run(backend, args):
    tmp = tempfile.mkdtemp(prefix="ketenregie-inbox-")
    diensten = []
    uit = []
    try:
        for grootte in args.sizes:
            diensten.append(start(backend, grootte, tmp))
        vragen = []
        for d in diensten:
            d["c"] = http.client.HTTPConnection("127.0.0.1", d["poort"], timeout=60)
            for ps in (20, 100):
                vragen += [(d, ps, "first page", f"/api/v1/zorgmeldingen?richting=ontvangen&pageSize={ps}"),
                           (d, ps, "middle page (cursor)", f"/api/v1/zorgmeldingen?richting=ontvangen&pageSize={ps}&cursor={d['midden']}")]
        for d, _, _, pad in vragen:  # warm-up
            for _ in range(20):
                st, body = verzoek(d["c"], "GET", pad, d["vt"]); assert st == 200, (st, body[:300])
        # Round robin over every size and query (one service per size, all running), so a
        # burst of load elsewhere on the machine hits every size alike.
        xs = [[] for _ in vragen]
        laatst = [None for _ in vragen]
        for _ in range(args.requests):
            for i, (d, _, _, pad) in enumerate(vragen):
                t = time.perf_counter(); st, body = verzoek(d["c"], "GET", pad, d["vt"]); xs[i].append((time.perf_counter() - t) * 1000)
                assert st == 200, st
                laatst[i] = body
        for i, (d, ps, naam, _) in enumerate(vragen):
            j = json.loads(laatst[i])
            assert len(j["results"]) == ps, len(j["results"])
            r = (backend, d["rijen"], ps, naam, pctl(xs[i], 50), pctl(xs[i], 95), pctl(xs[i], 99), min(xs[i]),
                 f'{j["count"]}{"" if j["countIsExact"] else "+"}', os.getloadavg()[0])
            uit.append(r)
            print(f"| {r[0]} | {r[1]} | {r[2]} | {r[3]} | {r[4]:.2f} | {r[5]:.2f} | {r[6]:.2f} | {r[7]:.2f} | {r[8]} | {r[9]:.2f} |")
        sys.stdout.flush()
        if backend == "postgres":
            print()
            print("PostgreSQL, the queries themselves (EXPLAIN ANALYZE, BUFFERS): shared buffers touched, execution ms")
            print("| meldingen | query | buffers | ms |")
            print("|---:|---|---:|---:|")
            for d in diensten:
                vt_code = d["vt_code"]
                for naam, q in [("page of 20 (keyset, first page)", f"SELECT * FROM zorgmeldingen WHERE ontvanger = '{vt_code}' ORDER BY gewijzigd_op DESC, id DESC LIMIT 21"),
                                ("count probe (OFFSET 1000 LIMIT 1)", f"SELECT id FROM zorgmeldingen WHERE ontvanger = '{vt_code}' ORDER BY gewijzigd_op DESC, id DESC OFFSET 1000 LIMIT 1"),
                                ("exact count(*) (before this change)", f"SELECT count(*) FROM zorgmeldingen WHERE ontvanger = '{vt_code}'")]:
                    plan = subprocess.check_output(["psql", "-tA", "-h", "127.0.0.1", "-U", "postgres", "-d", d["db"], "-c",
                                                    f"EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) {q}"], text=True)
                    top = json.loads(plan)[0]
                    b = top["Plan"].get("Shared Hit Blocks", 0) + top["Plan"].get("Shared Read Blocks", 0)
                    print(f"| {d['rijen']} | {naam} | {b} | {top['Execution Time']:.3f} |")
            print()
        return uit
    finally:
        for d in diensten:
            stop(d)
        shutil.rmtree(tmp, ignore_errors=True)


def main():
    a = argparse.ArgumentParser()
    a.add_argument("--sizes", default="1000,20000,200000")
    a.add_argument("--requests", type=int, default=300)
    a.add_argument("--backends", default="sqlite,postgres")
    a.add_argument("--bin", default=BIN, help="the binary (default: the release build)")
    args = a.parse_args()
    globals()["BIN"] = os.path.abspath(args.bin)
    args.sizes = [int(s) for s in args.sizes.split(",")]
    if not os.path.exists(BIN):
        sys.exit("build first: cargo build --release --locked")
    print(f"inbox: {BIN}; {os.cpu_count()} cores; load average at start {os.getloadavg()}; {args.requests} requests per query, one connection")
    print("| backend | meldingen (one Veilig Thuis) | pageSize | page | p50 ms | p95 ms | p99 ms | min ms | count | load avg 1 min |")
    print("|---|---:|---:|---|---:|---:|---:|---:|---|---:|")
    alles = []
    for b in args.backends.split(","):
        alles += run(b, args)
    print()
    print("p50 at the largest size over p50 at the smallest (target <= 2.0):")
    for b in args.backends.split(","):
        for ps in (20, 100):
            for naam in ("first page", "middle page (cursor)"):
                r = [x for x in alles if x[0] == b and x[2] == ps and x[3] == naam]
                if len(r) >= 2:
                    print(f"  {b} pageSize={ps} {naam}: {r[-1][4]:.2f} / {r[0][4]:.2f} ms = {r[-1][4] / r[0][4]:.2f}x")
    print(f"load average at end {os.getloadavg()}")


if __name__ == "__main__":
    main()
