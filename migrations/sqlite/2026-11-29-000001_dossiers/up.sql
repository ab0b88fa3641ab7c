-- The case registry (issue 4): persons, families, the family-law facts (gezag, regelingen,
-- beschikkingen), police incidents with statements from each side, involvement signals
-- (Verwijsindex-style) and their coordination matches. Every row has an owner: the
-- organisation that recorded it. BSNs, names, addresses and free texts are AES-GCM
-- encrypted JSON; look-up goes through keyed hashes (DESIGN.md §3). `betrokkene` is the
-- person's stable pseudonymous identity (from the BSN hash, else name + date of birth),
-- the same one the processing log and zorgmeldingen use, so one child recorded by two
-- organisations is one identity.

CREATE TABLE personen (
    id TEXT NOT NULL PRIMARY KEY,
    eigenaar TEXT NOT NULL,
    betrokkene TEXT NOT NULL,
    bsn_hash TEXT,
    naam_hash TEXT NOT NULL,
    adres_hash TEXT,
    gegevens TEXT NOT NULL,
    gemeente TEXT,
    vertrouwelijkheid TEXT NOT NULL,
    aangemaakt_op TIMESTAMP NOT NULL,
    gewijzigd_op TIMESTAMP NOT NULL
);
-- One person per BSN per organisation (NULLs are distinct: persons without BSN repeat).
CREATE UNIQUE INDEX personen_eigenaar_bsn_idx ON personen (eigenaar, bsn_hash);
CREATE INDEX personen_bsn_idx ON personen (bsn_hash);
CREATE INDEX personen_naam_idx ON personen (naam_hash);
CREATE INDEX personen_adres_idx ON personen (adres_hash);
CREATE INDEX personen_betrokkene_idx ON personen (betrokkene);

CREATE TABLE gezinnen (
    id TEXT NOT NULL PRIMARY KEY,
    eigenaar TEXT NOT NULL,
    kenmerk TEXT,
    vertrouwelijkheid TEXT NOT NULL,
    aangemaakt_op TIMESTAMP NOT NULL,
    gewijzigd_op TIMESTAMP NOT NULL
);
CREATE INDEX gezinnen_eigenaar_idx ON gezinnen (eigenaar);

CREATE TABLE gezinsleden (
    gezin_id TEXT NOT NULL REFERENCES gezinnen (id) ON DELETE CASCADE,
    persoon_id TEXT NOT NULL REFERENCES personen (id) ON DELETE CASCADE,
    relatie TEXT NOT NULL CHECK (relatie IN ('kind', 'ouder', 'verzorger', 'huisgenoot', 'overig')),
    van DATE,
    tot DATE,
    PRIMARY KEY (gezin_id, persoon_id)
);
CREATE INDEX gezinsleden_persoon_idx ON gezinsleden (persoon_id);

CREATE TABLE gezag (
    id TEXT NOT NULL PRIMARY KEY,
    eigenaar TEXT NOT NULL,
    kind_id TEXT NOT NULL REFERENCES personen (id) ON DELETE CASCADE,
    vorm TEXT NOT NULL CHECK (vorm IN ('gezamenlijk', 'eenhoofdig', 'voogdij', 'tijdelijk-geen', 'niet-te-bepalen')),
    houders TEXT NOT NULL,
    houder_instelling TEXT,
    bron TEXT NOT NULL CHECK (bron IN ('gezagsregister', 'brp', 'beschikking')),
    beschikking_id TEXT,
    geverifieerd_op DATE NOT NULL,
    aangemaakt_op TIMESTAMP NOT NULL
);
CREATE INDEX gezag_kind_idx ON gezag (kind_id);

CREATE TABLE beschikkingen (
    id TEXT NOT NULL PRIMARY KEY,
    eigenaar TEXT NOT NULL,
    gezin_id TEXT NOT NULL REFERENCES gezinnen (id) ON DELETE CASCADE,
    rechtbank TEXT NOT NULL,
    zaaknummer TEXT NOT NULL,
    datum DATE NOT NULL,
    soort TEXT NOT NULL CHECK (soort IN ('omgang', 'zorgregeling', 'gezag', 'ots', 'voorlopige-ots', 'uhp', 'huisverbod', 'straatverbod', 'overig')),
    van DATE NOT NULL,
    tot DATE,
    uitvoerbaar_bij_voorraad BOOLEAN NOT NULL,
    sterke_arm BOOLEAN NOT NULL,
    sterke_arm_tekst TEXT,
    kinderen TEXT NOT NULL,
    gebruikt_op DATE,
    aangemaakt_op TIMESTAMP NOT NULL
);
CREATE INDEX beschikkingen_gezin_idx ON beschikkingen (gezin_id);

CREATE TABLE regelingen (
    id TEXT NOT NULL PRIMARY KEY,
    eigenaar TEXT NOT NULL,
    gezin_id TEXT NOT NULL REFERENCES gezinnen (id) ON DELETE CASCADE,
    soort TEXT NOT NULL CHECK (soort IN ('omgangsregeling', 'zorgregeling')),
    bron TEXT NOT NULL CHECK (bron IN ('ouderschapsplan', 'beschikking')),
    beschikking_id TEXT,
    samenvatting TEXT NOT NULL,
    van DATE NOT NULL,
    tot DATE,
    aangemaakt_op TIMESTAMP NOT NULL
);
CREATE INDEX regelingen_gezin_idx ON regelingen (gezin_id);

CREATE TABLE incidenten (
    id TEXT NOT NULL PRIMARY KEY,
    eigenaar TEXT NOT NULL,
    gezin_id TEXT REFERENCES gezinnen (id) ON DELETE SET NULL,
    tijdstip TIMESTAMP NOT NULL,
    gemeente TEXT,
    soort TEXT NOT NULL CHECK (soort IN ('overdracht-kind-mislukt', 'ruzie', 'bedreiging', 'onttrekking-gezag', 'mishandeling', 'overig')),
    politie_referentie TEXT NOT NULL,
    inhoud TEXT NOT NULL,
    wederhoor TEXT NOT NULL CHECK (wederhoor IN ('ja', 'nee', 'niet-bereikbaar', 'geweigerd')),
    wederhoor_op TIMESTAMP,
    vertrouwelijkheid TEXT NOT NULL,
    aangemaakt_op TIMESTAMP NOT NULL
);
CREATE INDEX incidenten_gezin_idx ON incidenten (gezin_id);

CREATE TABLE incident_betrokkenen (
    incident_id TEXT NOT NULL REFERENCES incidenten (id) ON DELETE CASCADE,
    persoon_id TEXT NOT NULL REFERENCES personen (id) ON DELETE CASCADE,
    rol TEXT NOT NULL,
    PRIMARY KEY (incident_id, persoon_id)
);
CREATE INDEX incident_betrokkenen_persoon_idx ON incident_betrokkenen (persoon_id);

CREATE TABLE verklaringen (
    id TEXT NOT NULL PRIMARY KEY,
    incident_id TEXT NOT NULL REFERENCES incidenten (id) ON DELETE CASCADE,
    persoon_id TEXT REFERENCES personen (id) ON DELETE SET NULL,
    afgelegd_door TEXT NOT NULL CHECK (afgelegd_door IN ('moeder', 'vader', 'kind', 'getuige', 'agent', 'overig')),
    tekst TEXT NOT NULL,
    afgelegd_op TIMESTAMP NOT NULL,
    vastgelegd_door TEXT NOT NULL,
    aangemaakt_op TIMESTAMP NOT NULL
);
CREATE INDEX verklaringen_incident_idx ON verklaringen (incident_id);

CREATE TABLE betrokkenheden (
    id TEXT NOT NULL PRIMARY KEY,
    organisatie TEXT NOT NULL,
    persoon_id TEXT NOT NULL REFERENCES personen (id) ON DELETE CASCADE,
    betrokkene TEXT NOT NULL,
    contact_naam TEXT NOT NULL,
    contact_telefoon TEXT,
    contact_email TEXT,
    sinds DATE NOT NULL,
    vervalt_op DATE NOT NULL,
    beeindigd_op DATE,
    aangemaakt_op TIMESTAMP NOT NULL
);
CREATE INDEX betrokkenheden_betrokkene_idx ON betrokkenheden (betrokkene);
CREATE INDEX betrokkenheden_organisatie_idx ON betrokkenheden (organisatie);

CREATE TABLE matches (
    id TEXT NOT NULL PRIMARY KEY,
    betrokkenheid_a TEXT NOT NULL REFERENCES betrokkenheden (id) ON DELETE CASCADE,
    betrokkenheid_b TEXT NOT NULL REFERENCES betrokkenheden (id) ON DELETE CASCADE,
    organisatie_a TEXT NOT NULL,
    organisatie_b TEXT NOT NULL,
    reden TEXT NOT NULL CHECK (reden IN ('zelfde-kind', 'gedeelde-ouder')),
    aangemaakt_op TIMESTAMP NOT NULL
);
CREATE UNIQUE INDEX matches_paar_idx ON matches (betrokkenheid_a, betrokkenheid_b);
CREATE INDEX matches_a_idx ON matches (organisatie_a);
CREATE INDEX matches_b_idx ON matches (organisatie_b);

-- The identities in a zorgmelding, so a briefing can list the open meldingen about a
-- family without decrypting any melding.
CREATE TABLE zorgmelding_betrokkenen (
    zorgmelding_id TEXT NOT NULL REFERENCES zorgmeldingen (id) ON DELETE CASCADE,
    betrokkene TEXT NOT NULL,
    PRIMARY KEY (zorgmelding_id, betrokkene)
);
CREATE INDEX zorgmelding_betrokkenen_idx ON zorgmelding_betrokkenen (betrokkene);
