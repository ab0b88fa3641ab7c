-- Zorgmeldingen: the request owned by the sender (police) and its handling by the
-- receiver as a task with FHIR Task status codes; hand-overs are linked tasks.
-- Personal content (children, parents, statements, reporter) is one AES-GCM encrypted
-- JSON document; routing needs only the municipality codes, kept beside it in the clear.

CREATE TABLE zorgmeldingen (
    id TEXT NOT NULL PRIMARY KEY,
    groep_id TEXT NOT NULL,
    bovenliggend_id TEXT,
    afzender TEXT NOT NULL,
    ontvanger TEXT,
    meldingstatus TEXT NOT NULL CHECK (meldingstatus IN ('concept', 'ter-controle', 'verzonden', 'niet-routeerbaar')),
    taakstatus TEXT CHECK (taakstatus IN ('requested', 'received', 'accepted', 'rejected', 'in-progress', 'on-hold', 'completed', 'cancelled', 'failed', 'entered-in-error')),
    bedrijfsstatus TEXT,
    acuut BOOLEAN NOT NULL,
    gemeenten TEXT NOT NULL,
    inhoud TEXT NOT NULL,
    vertrouwelijkheid TEXT NOT NULL CHECK (vertrouwelijkheid IN ('openbaar', 'beperkt-openbaar', 'intern', 'zaakvertrouwelijk', 'vertrouwelijk', 'confidentieel', 'geheim', 'zeer-geheim')),
    versie BIGINT NOT NULL,
    aangemaakt_door TEXT NOT NULL,
    aangemaakt_op TIMESTAMP NOT NULL,
    ingediend_op TIMESTAMP,
    gewijzigd_op TIMESTAMP NOT NULL
);
CREATE INDEX zorgmeldingen_ontvanger_idx ON zorgmeldingen (ontvanger, gewijzigd_op);
CREATE INDEX zorgmeldingen_afzender_idx ON zorgmeldingen (afzender, gewijzigd_op);
CREATE INDEX zorgmeldingen_groep_idx ON zorgmeldingen (groep_id);

CREATE TABLE zorgmelding_stappen (
    id TEXT NOT NULL PRIMARY KEY,
    zorgmelding_id TEXT NOT NULL REFERENCES zorgmeldingen (id) ON DELETE CASCADE,
    stap TEXT NOT NULL,
    van_status TEXT,
    naar_status TEXT,
    reden TEXT,
    gegevens TEXT,
    gebruiker TEXT NOT NULL,
    gebruiker_naam TEXT NOT NULL,
    organisatie TEXT NOT NULL,
    tijdstip TIMESTAMP NOT NULL
);
CREATE INDEX zorgmelding_stappen_melding_idx ON zorgmelding_stappen (zorgmelding_id, tijdstip);

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

CREATE TABLE kwaliteitscontrole (
    organisatie TEXT NOT NULL PRIMARY KEY,
    verplicht BOOLEAN NOT NULL
);
