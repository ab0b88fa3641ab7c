"""A partner system built from the committed openapi/openapi.json (issue 13, "a generated
client works"): the Python client that openapi-python-client generates from the document,
used to file, submit, receive, triage and feed back one zorgmelding, and to run a
briefing, against a `ketenregie demo` world. Every answer is parsed by the generated
models (a shape the document does not describe fails here).

Run by `.ci/contract` (which generates the client, starts the service and sets the demo
tokens in the environment: WIJKAGENT, TRIAGIST, NOODHULP; BASE is the service's URL).
Prints one closing line `N passed, 0 failed`; exits non-zero on the first failure.
"""

import os
import sys
import uuid

from ketenregie_klant import AuthenticatedClient
from ketenregie_klant.api.dossiers import briefing_zoeken
from ketenregie_klant.api.terugkoppelingen import terugkoppeling_geven
from ketenregie_klant.api.zorgmeldingen import (
    zorgmelding_aanmaken,
    zorgmelding_beoordelen,
    zorgmelding_indienen,
    zorgmelding_ontvangen,
    zorgmelding_opvragen,
)
from ketenregie_klant.models import (
    BeoordelingInvoer,
    Briefing,
    BriefingVraag,
    Indiening,
    MeldingInvoer,
    StapInvoer,
    Terugkoppeling,
    TerugkoppelingInvoer,
    ZorgmeldingDto,
)

API = os.environ["BASE"].rstrip("/") + "/api/v1"
stappen = 0


def klant(rol: str) -> AuthenticatedClient:
    return AuthenticatedClient(base_url=API, token=os.environ[rol], raise_on_unexpected_status=True)


def verwacht(res, status: int, soort):
    """The answer has `status` and parses as the generated model `soort`."""
    global stappen
    if res.status_code != status or not isinstance(res.parsed, soort):
        print(f"FAILED: {res.status_code} {res.content[:500]!r}", file=sys.stderr)
        print(f"0 passed, 1 failed")
        sys.exit(1)
    stappen += 1
    return res.parsed


melding = MeldingInvoer.from_dict({
    "kinderen": [{"voornaam": "Sem", "achternaam": "de Boer", "geboortedatum": "2016-05-04",
                  "bsn": "999990032", "gemeente": "0518"}],
    "ouders": [{"voornaam": "Lisa", "achternaam": "Visser", "relatie": "moeder", "gezag": True}],
    "incidentReferentie": "KLANT-1", "omschrijving": "Overdracht mislukt bij school.",
    "zorgen": "Sem is getuige van herhaalde conflicten.", "acuut": False,
    "risiconiveau": "verhoogd",
    "verklaringen": [{"persoon": "Lisa Visser", "rol": "moeder", "tekst": "Hij kwam niet."}],
    "oudersGeinformeerd": True, "terugkoppelingGewenst": True,
    "melder": {"naam": "wijkagent (klant)", "functie": "wijkagent", "identiteitDelen": True},
})

# 1. File (with an Idempotency-Key: the retry gets the same melding) and submit.
sleutel = str(uuid.uuid4())
m = verwacht(zorgmelding_aanmaken.sync_detailed(client=klant("WIJKAGENT"), body=melding,
                                                idempotency_key=sleutel), 201, ZorgmeldingDto)
herhaald = verwacht(zorgmelding_aanmaken.sync_detailed(client=klant("WIJKAGENT"), body=melding,
                                                       idempotency_key=sleutel), 201, ZorgmeldingDto)
assert herhaald.id == m.id, "the retry returns the first melding"
ingediend = verwacht(zorgmelding_indienen.sync_detailed(m.id, client=klant("WIJKAGENT"),
                                                        if_match=f'"{m.versie}"'), 200, Indiening)
verzonden = ingediend.meldingen[0]

# 2. Veilig Thuis receives it, reads it, triages it (If-Match from the read).
verwacht(zorgmelding_ontvangen.sync_detailed(verzonden.id, client=klant("TRIAGIST"),
                                             body=StapInvoer()), 200, ZorgmeldingDto)
gelezen = verwacht(zorgmelding_opvragen.sync_detailed(verzonden.id, client=klant("TRIAGIST")),
                   200, ZorgmeldingDto)
verwacht(zorgmelding_beoordelen.sync_detailed(
    verzonden.id, client=klant("TRIAGIST"),
    body=BeoordelingInvoer.from_dict({"uitkomst": "voorwaarden-en-vervolg", "acuut": False}),
    if_match=f'"{gelezen.versie}"'), 200, ZorgmeldingDto)

# 3. And feeds back to the police.
verwacht(terugkoppeling_geven.sync_detailed(
    verzonden.id, client=klant("TRIAGIST"),
    body=TerugkoppelingInvoer.from_dict({
        "moment": "na-beoordeling", "vervolgtrajectGestart": True, "melderHeeftRol": False,
        "toelichting": "Veiligheidsvoorwaarden met beide ouders afgesproken."})),
    201, Terugkoppeling)

# 4. Noodhulp asks for a briefing before arriving: the open melding is in it.
b = verwacht(briefing_zoeken.sync_detailed(client=klant("NOODHULP"),
                                           body=BriefingVraag.from_dict({"bsn": "999990032"})),
             200, Briefing)
assert b.gevonden, "the demo family is found"

print(f"{stappen} passed, 0 failed")
