-- Idempotency answers repeat a created resource, personal data included (a zorgmelding's
-- answer names the children and parents). The table is rebuilt: the answer is stored
-- AES-GCM encrypted, the request is fingerprinted with a keyed hash (HMAC) instead of a
-- plain SHA-256 of a body full of personal data, and every answer expires
-- (`privacy.idempotency_hours`); the retention run removes expired rows. The old rows,
-- plain text, are dropped rather than carried over.
DROP TABLE idempotentie;
CREATE TABLE idempotentie (
    sleutel TEXT NOT NULL,
    organisatie TEXT NOT NULL,
    verzoek_hash TEXT NOT NULL,
    status INTEGER NOT NULL,
    locatie TEXT,
    antwoord TEXT NOT NULL,
    aangemaakt_op TIMESTAMP NOT NULL,
    verloopt_op TIMESTAMP NOT NULL,
    PRIMARY KEY (sleutel, organisatie)
);
CREATE INDEX idempotentie_verloopt_idx ON idempotentie (verloopt_op);

-- Per-user daily counts of briefings and person look-ups (OWASP API6: bulk look-ups),
-- shared by every instance. `gebruiker` is the token's `sub`, never a name. A counter
-- that crossed its limit records when (`overschreden_op`), so the privacy officer is told
-- once.
CREATE TABLE gebruiksquota (
    id TEXT NOT NULL PRIMARY KEY,
    organisatie TEXT NOT NULL,
    gebruiker TEXT NOT NULL,
    soort TEXT NOT NULL CHECK (soort IN ('briefing', 'persoon')),
    periode DATE NOT NULL,
    aantal BIGINT NOT NULL,
    limiet BIGINT NOT NULL,
    overschreden_op TIMESTAMP
);
CREATE UNIQUE INDEX gebruiksquota_teller_idx ON gebruiksquota (organisatie, gebruiker, soort, periode);
CREATE INDEX gebruiksquota_periode_idx ON gebruiksquota (periode);
