"""Object-level authorization between two identities, over every id-taking read of the
committed openapi/openapi.json (issue 13, "two identities and the object-level
authorization check between them"; OWASP API1:2023).

Each identity creates objects of its own organisation through the API (the police's
wijkagent: a person, an incident, a concept zorgmelding, a family; Veilig Thuis's
triagist: a person and a family). Then, for every GET operation of the document whose
path takes an id, every object is requested as the other identity: the answer must be
403 or 404, never the object. As a control, each owner reads its own objects (200), so
the ids are real and the check is not vacuous. schemathesis's object_level_authorization
check (tests/klant/schemathesis.toml) does the same for objects its own requests create;
this step holds it for known objects, deterministically.

Run by `.ci/contract schemathesis` with the demo tokens in the environment (WIJKAGENT,
TRIAGIST) and BASE the service's URL. Prints `N passed, M failed`; exits non-zero on
any failure. With ST_WOORDENBOEKEN set to a directory, it also writes there, per kind
of object, the ids of these objects and of the demo world's organisations, contact
points and agreements (libFuzzer dictionaries: one quoted value a line), from which
schemathesis draws path ids, so its requests reach existing objects and not only 404s.
"""

import json
import os
import re
import sys
import urllib.error
import urllib.request

API = os.environ["BASE"].rstrip("/") + "/api/v1"
DOCUMENT = os.path.join(os.path.dirname(__file__), "..", "..", "openapi", "openapi.json")
IDENTITEITEN = {"wijkagent": os.environ["WIJKAGENT"], "triagist": os.environ["TRIAGIST"]}


def vraag(wie, methode, pad, body=None):
    """(status, parsed body) of one request as `wie`."""
    data = None if body is None else json.dumps(body).encode()
    req = urllib.request.Request(API + pad, data=data, method=methode)
    req.add_header("Authorization", "Bearer " + IDENTITEITEN[wie])
    if data is not None:
        req.add_header("Content-Type", "application/json")
    try:
        with urllib.request.urlopen(req, timeout=20) as res:
            tekst = res.read()
            return res.status, json.loads(tekst) if tekst else None
    except urllib.error.HTTPError as e:
        return e.code, None


def maak(wie, pad, body):
    status, obj = vraag(wie, "POST", pad, body)
    if status != 201:
        print(f"FAILED: setup POST {pad} as {wie}: {status}", file=sys.stderr)
        print("0 passed, 1 failed")
        sys.exit(1)
    return obj["id"]


def kind(naam):
    return {"voornamen": naam, "achternaam": "Toegang", "geboortedatum": "2016-05-04"}


# The objects, per owner: (the path that reads it, its id).
objecten = {"wijkagent": [], "triagist": []}
p = maak("wijkagent", "/personen", kind("Politiekind"))
objecten["wijkagent"] += [
    ("/personen/{id}", p),
    ("/incidenten/{id}", maak("wijkagent", "/incidenten", {
        "tijdstip": "2026-01-01T10:00:00Z", "soort": "ruzie",
        "politieReferentie": "PL1500-2026000001", "samenvatting": "Ruzie in de woning"})),
    ("/zorgmeldingen/{id}", maak("wijkagent", "/zorgmeldingen", {
        "kinderen": [{"voornaam": "Sem", "achternaam": "Toegang", "geboortedatum": "2016-05-04",
                      "gemeente": "0518"}],
        "omschrijving": "Concept, nog niet ingediend", "zorgen": "Zorgen om het kind",
        "acuut": False, "risiconiveau": "laag", "oudersGeinformeerd": True,
        "melder": {"naam": "Wijkagent", "functie": "wijkagent", "identiteitDelen": True}})),
    ("/gezinnen/{id}", maak("wijkagent", "/gezinnen", {"leden": [{"persoon": p, "relatie": "kind"}]})),
]
q = maak("triagist", "/personen", kind("Veilig-Thuiskind"))
objecten["triagist"] += [
    ("/personen/{id}", q),
    ("/gezinnen/{id}", maak("triagist", "/gezinnen", {"leden": [{"persoon": q, "relatie": "kind"}]})),
]

with open(DOCUMENT) as f:
    document = json.load(f)


def alleen_ids(item):
    """Every path parameter of the GET is an object id (format uuid): a date or a code in
    the path (e.g. /sluitingsdagen/{datum}) is not an object another identity owns, and a
    uuid there is rightly a 400."""
    params = item.get("parameters", []) + item["get"].get("parameters", [])
    pad = [p for p in params if p.get("in") == "path"]
    return bool(pad) and all(p.get("schema", {}).get("format") == "uuid" for p in pad)


lezingen = [pad for pad, item in document["paths"].items()
            if "get" in item and "{" in pad and alleen_ids(item)]

geslaagd, mislukt = 0, []
for eigenaar, lijst in objecten.items():
    ander = next(w for w in IDENTITEITEN if w != eigenaar)
    for eigen_pad, oid in lijst:
        status, _ = vraag(eigenaar, "GET", eigen_pad.replace("{id}", oid))
        if status == 200:
            geslaagd += 1
        else:
            mislukt.append(f"{eigenaar} cannot read its own {eigen_pad} ({status})")
        for pad in lezingen:
            url = re.sub(r"\{[^}]+\}", oid, pad)
            status, _ = vraag(ander, "GET", url)
            if status in (403, 404):
                geslaagd += 1
            else:
                mislukt.append(f"{ander} GET {pad} with {eigenaar}'s {eigen_pad} id: {status}")

woordenboeken = os.environ.get("ST_WOORDENBOEKEN")
if woordenboeken:
    ids = {}
    for eigenaar, lijst in objecten.items():
        for pad, oid in lijst:
            ids.setdefault(pad.split("/")[1], []).append(oid)
    for soort in ("organisaties", "contactpunten", "convenanten"):
        status, pagina = vraag("wijkagent", "GET", f"/{soort}?pageSize=100")
        ids[soort] = [o["id"] for o in (pagina or {}).get("results", [])] if status == 200 else []
    for soort, waarden in ids.items():
        with open(os.path.join(woordenboeken, soort + ".dict"), "w") as f:
            f.writelines(f'"{w}"\n' for w in waarden)

for m in mislukt:
    print("FAILED:", m, file=sys.stderr)
print(f"{geslaagd} passed, {len(mislukt)} failed")
sys.exit(1 if mislukt else 0)
