-- Feedback duties (terugkoppelplichten) per melding or hand-over task: which moment is
-- owed, by when (working days, from the agreement or the defaults), and when it was met.

CREATE TABLE termijnen (
    id TEXT NOT NULL PRIMARY KEY,
    zorgmelding_id TEXT NOT NULL REFERENCES zorgmeldingen (id) ON DELETE CASCADE,
    afzender TEXT NOT NULL,
    ontvanger TEXT NOT NULL,
    moment TEXT NOT NULL CHECK (moment IN ('ontvangstbevestiging', 'na-beoordeling', 'tussentijds', 'na-onderzoek', 'eindresultaat')),
    verschuldigd_op TIMESTAMP NOT NULL,
    voldaan_op TIMESTAMP,
    vervallen_op TIMESTAMP,
    bron TEXT NOT NULL,
    aangemaakt_op TIMESTAMP NOT NULL
);
CREATE INDEX termijnen_ontvanger_idx ON termijnen (ontvanger, verschuldigd_op);
CREATE INDEX termijnen_afzender_idx ON termijnen (afzender, verschuldigd_op);
CREATE INDEX termijnen_melding_idx ON termijnen (zorgmelding_id);
