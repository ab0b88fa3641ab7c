"""What the load scripts in this folder share: the synthetic melding they file, a free
port, a request with one retry on a closed keep-alive connection, a percentile, a
statement on either backend, and a development token from the binary."""
import http.client, json, socket, subprocess

MELDING = {
    "kinderen": [{"voornaam": "Kind", "achternaam": "Synthetisch", "geboortedatum": "2016-03-01", "gemeente": "0518"}],
    "ouders": [{"voornaam": "Ouder", "achternaam": "Synthetisch", "relatie": "moeder"}],
    "omschrijving": "Synthetische melding voor de benchmark.", "zorgen": "Geen (synthetisch).",
    "acuut": False, "risiconiveau": "laag", "oudersGeinformeerd": True,
    "verklaringen": [{"persoon": "Ouder Synthetisch", "rol": "moeder", "tekst": "synthetisch"}],
    "melder": {"naam": "Agent Synthetisch", "functie": "wijkagent", "identiteitDelen": True},
}


def vrije_poort():
    s = socket.socket(); s.bind(("127.0.0.1", 0)); p = s.getsockname()[1]; s.close(); return p


def token(bin, env, org, rol, minuten=240):
    """A development token (`ketenregie token`) of `rol` in `org`, valid `minuten`."""
    return subprocess.check_output([bin, "token", "--organisatie", org, "--rol", rol, "--geldig-minuten", str(minuten)], env=env, text=True).strip()


def verzoek(conn, methode, pad, tok, body=None):
    h = {"Authorization": f"Bearer {tok}"}
    data = None
    if body is not None:
        data = json.dumps(body); h["Content-Type"] = "application/json"
    for poging in range(2):
        try:
            conn.request(methode, pad, body=data, headers=h)
            r = conn.getresponse(); inhoud = r.read()
            return r.status, inhoud
        except (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError):
            # The service closed an idle keep-alive connection: open a new one, once.
            conn.close()
            if poging:
                raise


def pctl(xs, p):
    xs = sorted(xs); return xs[min(len(xs) - 1, int(round(p / 100 * (len(xs) - 1))))]


def sql(backend, db, stmt):
    if backend == "sqlite":
        import sqlite3
        c = sqlite3.connect(db); c.execute("PRAGMA busy_timeout=10000"); c.executescript(stmt); c.commit(); c.close()
    else:
        subprocess.check_call(["psql", "-q", "-h", "127.0.0.1", "-U", "postgres", "-d", db, "-c", stmt])
