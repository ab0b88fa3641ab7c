DROP TABLE gebruiksquota;
DROP TABLE idempotentie;
CREATE TABLE idempotentie (
    sleutel TEXT NOT NULL,
    organisatie TEXT NOT NULL,
    verzoek_hash TEXT NOT NULL,
    status INTEGER NOT NULL,
    locatie TEXT,
    antwoord TEXT NOT NULL,
    aangemaakt_op TIMESTAMP NOT NULL,
    PRIMARY KEY (sleutel, organisatie)
);
