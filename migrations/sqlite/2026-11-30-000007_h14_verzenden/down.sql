CREATE TABLE bezorgingen_oud (
    id TEXT NOT NULL PRIMARY KEY,
    outbox_id TEXT NOT NULL REFERENCES outbox (id) ON DELETE CASCADE,
    kanaal TEXT NOT NULL CHECK (kanaal IN ('email', 'webhook')),
    abonnement_id TEXT REFERENCES abonnementen (id) ON DELETE CASCADE,
    status TEXT NOT NULL CHECK (status IN ('wachtend', 'afgeleverd', 'dood')),
    pogingen INTEGER NOT NULL,
    volgende_poging_op TIMESTAMP NOT NULL,
    geclaimd_tot TIMESTAMP,
    geclaimd_door TEXT,
    laatste_fout TEXT,
    afgeleverd_op TIMESTAMP,
    aangemaakt_op TIMESTAMP NOT NULL
);
INSERT INTO bezorgingen_oud
SELECT id, outbox_id, kanaal, abonnement_id,
    CASE WHEN status IN ('verzenden', 'onzeker') THEN 'dood' ELSE status END, pogingen,
    volgende_poging_op, geclaimd_tot, geclaimd_door, laatste_fout, afgeleverd_op, aangemaakt_op
FROM bezorgingen;
DROP TABLE bezorgingen;
ALTER TABLE bezorgingen_oud RENAME TO bezorgingen;
CREATE INDEX bezorgingen_wachtend_idx ON bezorgingen (status, volgende_poging_op);
CREATE INDEX bezorgingen_outbox_idx ON bezorgingen (outbox_id);
CREATE INDEX bezorgingen_abonnement_idx ON bezorgingen (abonnement_id);
