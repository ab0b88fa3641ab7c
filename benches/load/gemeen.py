"""What the load scripts in this folder share: the synthetic melding they file, a free
port, a request with one retry on a closed keep-alive connection, a percentile, a
statement on either backend, a development token from the binary, and the start and stop
of a service that is stopped on every exit path.

Every service started with `start_dienst` is stopped however the script ends: a normal
end or an exception (the caller's `finally`, and `atexit` for one started but not yet
handed to the caller's cleanup), Ctrl-C (KeyboardInterrupt), SIGTERM and SIGHUP (turned
into SystemExit here, so `finally` blocks and `atexit` run), and even a SIGKILL of the
script (Linux: the service gets SIGTERM from the kernel when its parent dies,
PR_SET_PDEATHSIG)."""
import atexit, ctypes, http.client, json, signal, socket, subprocess, time

# The services this process started and has not stopped yet.
_DIENSTEN = []


def _ouder_weg_stopt_mij():
    """In the child before exec: SIGTERM when the parent dies (Linux prctl PR_SET_PDEATHSIG)."""
    try:
        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGTERM)
    except OSError:
        pass


def start_dienst(args, env, log_pad, log_modus="w"):
    """Start `args` (e.g. `[BIN, "serve"]`) with `env`, stderr to `log_pad`; registered so
    that it is stopped on every exit path (module docstring). Stop it with `stop_dienst`."""
    with open(log_pad, log_modus) as log:
        p = subprocess.Popen(args, env=env, stdout=subprocess.DEVNULL, stderr=log,
                             preexec_fn=_ouder_weg_stopt_mij)
    _DIENSTEN.append(p)
    return p


def stop_dienst(p, timeout=20):
    """Stop a service from `start_dienst`: SIGTERM, then SIGKILL after `timeout` s. Idempotent."""
    if p.poll() is None:
        p.terminate()
        try:
            p.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            p.kill(); p.wait()
    if p in _DIENSTEN:
        _DIENSTEN.remove(p)


def wacht_op_gereed(p, poort, seconden=120, log_pad="its log"):
    """Wait until the service `p` (from `start_dienst`) on 127.0.0.1:`poort` answers 200 on
    GET /health/ready. RuntimeError when it exits first or is not ready after `seconden` s."""
    einde = time.monotonic() + seconden
    while time.monotonic() < einde:
        if p.poll() is not None:
            raise RuntimeError(f"the service exited (code {p.returncode}); see {log_pad}")
        try:
            c = http.client.HTTPConnection("127.0.0.1", poort, timeout=2); c.request("GET", "/health/ready")
            if c.getresponse().status == 200:
                return
        except OSError:
            pass
        time.sleep(0.1)
    raise RuntimeError(f"the service was not ready after {seconden} s; see {log_pad}")


@atexit.register
def _stop_alle():
    for p in list(_DIENSTEN):
        stop_dienst(p, timeout=10)


def _als_exit(signum, _frame):
    raise SystemExit(128 + signum)


for _s in (signal.SIGTERM, signal.SIGHUP):
    if signal.getsignal(_s) in (signal.SIG_DFL, None):
        signal.signal(_s, _als_exit)

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
