#!/usr/bin/env python3
"""Cost of one page of `GET /matches` (task h17gaps) as the number of matches grows, on
SQLite and PostgreSQL: database round trips per request (the service's
`ketenregie_db_rondes_total`, every statement including BEGIN/COMMIT), the service's CPU
milliseconds per request (utime+stime from /proc/PID/stat) and the median latency of
sequential requests, for the first page and for a page reached by cursor.

The GI has N matches with Veilig Thuis (an agreement in force with coordination rules for
both), half with the GI as side `a`, half as side `b`, written straight into the tables
(the other signal's contact in plain text, as rows from before encryption are read).
Before h17gaps the route answered every match (at most 500) whole, with three statements
per match; run it with `--bin` of an older build to compare.

    python3 benches/load/matches.py [--bin target/debug/ketenregie] [--aantallen 100,10000]
                                    [--backends sqlite,postgres] [--herhalingen 30] [--oud]
Traffic to 127.0.0.1 only.
"""
import argparse, http.client, json, os, statistics, subprocess, sys, tempfile, time, urllib.parse

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.dont_write_bytecode = True
import gemeen  # noqa: E402
from gemeen import verzoek  # noqa: E402
from kosten import Dienst, cpu_s, metriek  # noqa: E402

GI, VT = "gi-jeugdbescherming-west", "vt-haaglanden"


def rij_id(reeks, i):
    return f"00000000-0000-4000-{reeks:04d}-{i:012d}"


def opzet(d):
    c = http.client.HTTPConnection("127.0.0.1", d.poort, timeout=60)
    admin = d.token("ketenregie-platform", "platformbeheerder")
    for code, soort in ((GI, "gecertificeerde-instelling"), (VT, "veilig-thuis")):
        st, body = verzoek(c, "POST", "/api/v1/organisaties", admin,
                           {"code": code, "naam": f"Organisatie {code}", "soort": soort, "gemeenten": ["0518"]})
        assert st == 201, (st, body)
    regel = lambda soort, rol: {"organisatieSoort": soort, "rollen": [rol], "acties": ["aanmaken", "lezen"],
                                "categorieen": ["hulpverlening"], "doel": "coordinatie", "maxVertrouwelijkheid": "vertrouwelijk",
                                "grondslag": {"code": "Convenant art. 4", "omschrijving": "benchmark"}}
    conv = {"titel": "Benchmark matches", "partijen": [{"organisatie": GI, "rol": "gi"}, {"organisatie": VT, "rol": "vt"}],
            "doelen": ["coordinatie"], "categorieen": ["hulpverlening"],
            "regels": [regel("gecertificeerde-instelling", "gezinsvoogd"), regel("veilig-thuis", "triagist")]}
    st, body = verzoek(c, "POST", "/api/v1/convenanten", d.token(GI, "functioneel-beheerder"), conv)
    assert st == 201, (st, body)
    cid = json.loads(body)["id"]
    for org in (GI, VT):
        fb = d.token(org, "functioneel-beheerder")
        st, body = verzoek(c, "GET", f"/api/v1/convenanten/{cid}", fb); assert st == 200, (st, body)
        st, body = verzoek(c, "POST", f"/api/v1/convenanten/{cid}/ondertekeningen", fb, {"inhoudHash": json.loads(body)["inhoudHash"]})
        assert st == 200, (st, body)
    gi = d.token(GI, "gezinsvoogd")
    st, body = verzoek(c, "POST", "/api/v1/personen", gi, {"voornamen": "Sem", "achternaam": "de Boer", "geboortedatum": "2016-05-04"})
    assert st == 201, (st, body)
    return c, gi, json.loads(body)["id"]


def voeg_toe(d, persoon, van, tot):
    """Matches van..tot-1 between the GI and VT, in batches of 1,000."""
    for start in range(van, tot, 1000):
        regels = ["BEGIN;"]
        for i in range(start, min(tot, start + 1000)):
            mid, eigen, ander, betr = rij_id(1, i), rij_id(101, i), rij_id(201, i), rij_id(301, i)
            t = time.strftime("%Y-%m-%d %H:%M:%S", time.gmtime(1767225600 + i))
            for b, org, naam in ((eigen, GI, "J. Bakker"), (ander, VT, f"contact {i}")):
                regels.append("INSERT INTO betrokkenheden (id, organisatie, persoon_id, betrokkene, contact_naam, sinds, vervalt_op, aangemaakt_op) "
                              f"VALUES ('{b}', '{org}', '{persoon}', '{betr}', '{naam}', '2026-01-01', '2028-01-01', '{t}');")
            a, b, oa, ob = (eigen, ander, GI, VT) if i % 2 == 0 else (ander, eigen, VT, GI)
            regels.append("INSERT INTO matches (id, betrokkenheid_a, betrokkenheid_b, organisatie_a, organisatie_b, reden, aangemaakt_op) "
                          f"VALUES ('{mid}', '{a}', '{b}', '{oa}', '{ob}', 'zelfde-kind', '{t}');")
        regels.append("COMMIT;")
        if d.backend == "sqlite":
            gemeen.sql(d.backend, d.db, "\n".join(regels))
        else:  # through stdin: a thousand rows are too long for `psql -c`
            subprocess.run(["psql", "-q", "-v", "ON_ERROR_STOP=1", "-h", "127.0.0.1", "-U", "postgres", "-d", d.db],
                           input="\n".join(regels), text=True, check=True, stdout=subprocess.DEVNULL)


def pad_van(link):
    """The path and query of a `next` link (absolute or not)."""
    u = urllib.parse.urlsplit(link)
    return u.path + ("?" + u.query if u.query else "")


def meet(d, c, tok, pad, n):
    """Round trips, service CPU ms and median ms per request over `n` sequential requests."""
    verzoek(c, "GET", pad, tok)  # warm
    r0, cpu0 = metriek(d.poort, "ketenregie_db_rondes_total"), cpu_s(d.server.pid)
    tijden = []
    for _ in range(n):
        t = time.perf_counter(); st, body = verzoek(c, "GET", pad, tok); tijden.append((time.perf_counter() - t) * 1000)
        assert st == 200, (st, body[:300])
    # The metrics request itself is one more HTTP request but no statement.
    r1, cpu1 = metriek(d.poort, "ketenregie_db_rondes_total"), cpu_s(d.server.pid)
    return (r1 - r0) / n, (cpu1 - cpu0) * 1000 / n, statistics.median(tijden), json.loads(body)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--bin", default=os.path.join(os.path.dirname(os.path.dirname(HERE)), "target/debug/ketenregie"))
    ap.add_argument("--aantallen", default="100,10000")
    ap.add_argument("--backends", default="sqlite,postgres")
    ap.add_argument("--herhalingen", type=int, default=30)
    ap.add_argument("--oud", action="store_true", help="a build from before h17gaps: GET /matches takes no query")
    a = ap.parse_args()
    print(f"# {a.bin}; load {open('/proc/loadavg').read().split()[:3]}; {a.herhalingen} sequential requests per figure")
    print("| backend | matches | page | rows | count | round trips/req | service CPU ms/req | p50 ms |")
    print("| --- | --- | --- | --- | --- | --- | --- | --- |")
    for backend in a.backends.split(","):
        with tempfile.TemporaryDirectory() as tmp:
            d = Dienst(backend, a.bin, tmp)
            try:
                c, gi, persoon = opzet(d)
                gehad = 0
                for n in [int(x) for x in a.aantallen.split(",")]:
                    voeg_toe(d, persoon, gehad, n); gehad = n
                    pad = "/api/v1/matches" if a.oud else "/api/v1/matches?pageSize=20"
                    rt, cpu, p50, p = meet(d, c, gi, pad, a.herhalingen)
                    print(f"| {backend} | {n} | first | {len(p['results'])} | {p.get('count')} | {rt:.1f} | {cpu:.2f} | {p50:.1f} |")
                    if p.get("next"):
                        # Up to five pages on, by cursor.
                        volgende = pad_van(p["next"])
                        for _ in range(4):
                            st, body = verzoek(c, "GET", volgende, gi)
                            if not json.loads(body)["next"]:
                                break
                            volgende = pad_van(json.loads(body)["next"])
                        rt, cpu, p50, q = meet(d, c, gi, volgende, a.herhalingen)
                        print(f"| {backend} | {n} | later (cursor) | {len(q['results'])} | {q.get('count')} | {rt:.1f} | {cpu:.2f} | {p50:.1f} |")
            finally:
                d.stop()
    print(f"# load after: {open('/proc/loadavg').read().split()[:3]}")


if __name__ == "__main__":
    main()
