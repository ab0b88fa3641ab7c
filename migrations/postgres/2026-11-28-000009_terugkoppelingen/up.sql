-- Feedback items (terugkoppelingen) from the receiver of a melding or hand-over task to
-- whoever sent it (DOMAIN.md §3 flow 3). The free text, the safety conditions, the
-- monitoring agreements and the contact who took over are encrypted at rest as one
-- document (`inhoud`); `betrokkenen` holds the pseudonymous subject ids for the
-- processing log. And the deadline scanner's marks on each duty, so that every reminder,
-- escalation and late notice goes out once.

CREATE TABLE terugkoppelingen (
    id TEXT NOT NULL PRIMARY KEY,
    zorgmelding_id TEXT NOT NULL REFERENCES zorgmeldingen (id) ON DELETE CASCADE,
    afzender TEXT NOT NULL,
    ontvanger TEXT NOT NULL,
    moment TEXT NOT NULL CHECK (moment IN ('ontvangstbevestiging', 'na-beoordeling', 'tussentijds', 'na-onderzoek', 'eindresultaat')),
    vervolgtraject_gestart BOOLEAN NOT NULL,
    overgenomen_door TEXT,
    melder_heeft_rol BOOLEAN NOT NULL,
    inhoud TEXT NOT NULL,
    betrokkenen TEXT NOT NULL,
    gebruiker TEXT NOT NULL,
    gebruiker_naam TEXT NOT NULL,
    organisatie TEXT NOT NULL,
    aangemaakt_op TIMESTAMP NOT NULL
);
CREATE INDEX terugkoppelingen_melding_idx ON terugkoppelingen (zorgmelding_id, aangemaakt_op);

ALTER TABLE termijnen ADD COLUMN herinnerd_op TIMESTAMP;
ALTER TABLE termijnen ADD COLUMN geescaleerd_op TIMESTAMP;
ALTER TABLE termijnen ADD COLUMN laat_gemeld_op TIMESTAMP;
-- The scanner reads open duties by due time.
CREATE INDEX termijnen_open_idx ON termijnen (verschuldigd_op) WHERE voldaan_op IS NULL AND vervallen_op IS NULL;
