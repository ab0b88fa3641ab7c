-- Foundation: partner organisations, the municipalities they serve, their contact points,
-- and the record of token ids already seen (jti replay protection across instances).
-- Keep this tree and migrations/postgres alike: a test compares them.

CREATE TABLE organisaties (
    id TEXT NOT NULL PRIMARY KEY,
    code TEXT NOT NULL,
    naam TEXT NOT NULL,
    oin TEXT,
    soort TEXT NOT NULL CHECK (soort IN ('politie', 'om', 'veilig-thuis', 'jeugdzorg', 'gecertificeerde-instelling', 'rvdk', 'wijkteam', 'gemeente')),
    rechtsregime TEXT NOT NULL CHECK (rechtsregime IN ('wpg', 'wjsg', 'wmo-2015', 'jeugdwet', 'avg')),
    versie BIGINT NOT NULL,
    aangemaakt_op TIMESTAMP NOT NULL,
    gewijzigd_op TIMESTAMP NOT NULL
);
CREATE UNIQUE INDEX organisaties_code_uk ON organisaties (code);
CREATE UNIQUE INDEX organisaties_oin_uk ON organisaties (oin);
CREATE INDEX organisaties_soort_idx ON organisaties (soort);

CREATE TABLE organisatie_gemeenten (
    organisatie_id TEXT NOT NULL REFERENCES organisaties (id) ON DELETE CASCADE,
    gemeentecode TEXT NOT NULL,
    PRIMARY KEY (organisatie_id, gemeentecode)
);
CREATE INDEX organisatie_gemeenten_gemeente_idx ON organisatie_gemeenten (gemeentecode);

CREATE TABLE contactpunten (
    id TEXT NOT NULL PRIMARY KEY,
    organisatie_id TEXT NOT NULL REFERENCES organisaties (id) ON DELETE CASCADE,
    rol TEXT NOT NULL CHECK (rol IN ('dagelijks-aanspreekpunt', 'spoed', 'escalatie', 'meldingen', 'privacy')),
    naam TEXT NOT NULL,
    telefoon TEXT,
    email TEXT,
    openingstijden TEXT,
    altijd_bereikbaar BOOLEAN NOT NULL,
    aangemaakt_op TIMESTAMP NOT NULL,
    gewijzigd_op TIMESTAMP NOT NULL
);
CREATE INDEX contactpunten_organisatie_idx ON contactpunten (organisatie_id);

CREATE TABLE gebruikte_tokens (
    jti TEXT NOT NULL PRIMARY KEY,
    token_hash TEXT NOT NULL,
    verloopt_op TIMESTAMP NOT NULL
);
CREATE INDEX gebruikte_tokens_verloopt_idx ON gebruikte_tokens (verloopt_op);
