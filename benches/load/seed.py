#!/usr/bin/env python3
"""Seed N organisations into a running ketenregie through its API (stdlib only).

    seed.py --base http://127.0.0.1:PORT --token TOKEN --count 10000 [--workers 4]

POSTs /api/v1/organisaties with {"code":"org-<i>","naam":"Organisatie <i>",
"soort":"wijkteam","gemeenten":["0363"]} for i in 1..count over keep-alive
connections (http.client, one per worker thread). Only 127.0.0.1/localhost is
accepted as a target. Stops with an error at the first non-201 answer or when
--deadline seconds have passed.

Prints on stdout two lines for the load test to read: the id of organisation
org-<pick> (default: the middle one), and the number of organisations the API
reports (GET /api/v1/organisaties `count`). Progress goes to stderr.
"""

import argparse
import http.client
import json
import sys
import threading
import time
import urllib.parse


def connect(base):
    u = urllib.parse.urlsplit(base)
    if u.scheme != "http" or u.hostname not in ("127.0.0.1", "localhost"):
        sys.exit(f"seed.py: refusing target {base!r}: only http://127.0.0.1 is allowed")
    return u.hostname, u.port or 80


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--base", required=True, help="http://127.0.0.1:PORT")
    p.add_argument("--token", required=True, help="a platformbeheerder bearer token")
    p.add_argument("--count", type=int, default=10000)
    p.add_argument("--workers", type=int, default=4)
    p.add_argument("--pick", type=int, default=0, help="which org-<i> id to print (default: count/2)")
    p.add_argument("--deadline", type=float, default=1800.0, help="give up after this many seconds")
    a = p.parse_args()
    if a.count < 1 or a.workers < 1:
        sys.exit("seed.py: --count and --workers must be at least 1")
    pick = a.pick or max(1, a.count // 2)
    host, port = connect(a.base)
    headers = {
        "Authorization": f"Bearer {a.token}",
        "Content-Type": "application/json",
        "Accept": "application/json",
    }
    start = time.monotonic()
    stop_at = start + a.deadline
    lock = threading.Lock()
    state = {"next": 1, "done": 0, "picked": None, "error": None}

    def take():
        with lock:
            if state["error"] or state["next"] > a.count:
                return None
            i = state["next"]
            state["next"] += 1
            return i

    def worker():
        conn = http.client.HTTPConnection(host, port, timeout=30)
        try:
            while (i := take()) is not None:
                if time.monotonic() > stop_at:
                    raise RuntimeError(f"deadline of {a.deadline:.0f} s passed")
                body = json.dumps({
                    "code": f"org-{i}",
                    "naam": f"Organisatie {i}",
                    "soort": "wijkteam",
                    "gemeenten": ["0363"],
                })
                conn.request("POST", "/api/v1/organisaties", body=body, headers=headers)
                r = conn.getresponse()
                data = r.read()
                if r.status != 201:
                    raise RuntimeError(f"org-{i}: HTTP {r.status}: {data[:300]!r}")
                with lock:
                    state["done"] += 1
                    if i == pick:
                        state["picked"] = json.loads(data)["id"]
                    if state["done"] % 1000 == 0:
                        el = time.monotonic() - start
                        print(f"seed: {state['done']}/{a.count} in {el:.1f} s", file=sys.stderr)
        except Exception as e:  # noqa: BLE001 - report any failure and stop the others
            with lock:
                state["error"] = state["error"] or str(e)
        finally:
            conn.close()

    threads = [threading.Thread(target=worker, daemon=True) for _ in range(min(a.workers, a.count))]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=max(0.0, stop_at - time.monotonic()) + 35)
    if any(t.is_alive() for t in threads):
        sys.exit("seed.py: workers still running after the deadline")
    if state["error"]:
        sys.exit(f"seed.py: {state['error']}")

    # The count as the API reports it (the whole directory, not only what we added).
    conn = http.client.HTTPConnection(host, port, timeout=30)
    conn.request("GET", "/api/v1/organisaties?pageSize=1", headers=headers)
    r = conn.getresponse()
    data = r.read()
    conn.close()
    if r.status != 200:
        sys.exit(f"seed.py: count query: HTTP {r.status}: {data[:300]!r}")
    total = json.loads(data)["count"]
    el = time.monotonic() - start
    print(f"seed: {state['done']} created in {el:.1f} s ({state['done'] / el:.0f}/s); "
          f"the API now lists {total} organisations", file=sys.stderr)
    print(state["picked"])
    print(total)


if __name__ == "__main__":
    main()
