-- Reference data: the Dutch municipalities (CBS) with safety region and police unit, and
-- what the last import wrote for each imported organisation's service area (so a re-import
-- updates areas nobody edited, and leaves an admin's edits alone).

CREATE TABLE gemeenten (
    code TEXT NOT NULL PRIMARY KEY,
    naam TEXT NOT NULL,
    provincie TEXT NOT NULL,
    veiligheidsregio_code TEXT NOT NULL,
    veiligheidsregio_naam TEXT NOT NULL,
    politie_eenheid TEXT NOT NULL
);
CREATE INDEX gemeenten_veiligheidsregio_idx ON gemeenten (veiligheidsregio_code);

CREATE TABLE referentie_import (
    organisatie_code TEXT NOT NULL PRIMARY KEY,
    gemeenten TEXT NOT NULL,
    zekerheid TEXT NOT NULL,
    opmerking TEXT,
    geimporteerd_op TIMESTAMP NOT NULL
);
