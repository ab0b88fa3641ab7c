-- At most once per delivery on a crash (issue 14, finding 8). Keep this tree and the other
-- alike: a test compares them. No personal data.
--
-- A delivery is marked `verzenden` (sending), with the moment in `verzenden_op`, in a
-- committed transaction before its network send, and gets its outcome after. A delivery
-- still `verzenden` when its lease has run out belongs to an instance that died mid-send:
-- the receiver may or may not have it, so it becomes `onzeker` (uncertain) and is not sent
-- again by itself; the functional admin sees it beside the dead letters and may re-queue it.
-- SQLite cannot change a CHECK constraint in place: the table is rebuilt.
CREATE TABLE bezorgingen_nieuw (
    id TEXT NOT NULL PRIMARY KEY,
    outbox_id TEXT NOT NULL REFERENCES outbox (id) ON DELETE CASCADE,
    kanaal TEXT NOT NULL CHECK (kanaal IN ('email', 'webhook')),
    abonnement_id TEXT REFERENCES abonnementen (id) ON DELETE CASCADE,
    status TEXT NOT NULL CHECK (status IN ('wachtend', 'verzenden', 'afgeleverd', 'onzeker', 'dood')),
    pogingen INTEGER NOT NULL,
    volgende_poging_op TIMESTAMP NOT NULL,
    geclaimd_tot TIMESTAMP,
    geclaimd_door TEXT,
    laatste_fout TEXT,
    afgeleverd_op TIMESTAMP,
    aangemaakt_op TIMESTAMP NOT NULL,
    verzenden_op TIMESTAMP
);
INSERT INTO bezorgingen_nieuw (id, outbox_id, kanaal, abonnement_id, status, pogingen,
    volgende_poging_op, geclaimd_tot, geclaimd_door, laatste_fout, afgeleverd_op, aangemaakt_op)
SELECT id, outbox_id, kanaal, abonnement_id, status, pogingen, volgende_poging_op,
    geclaimd_tot, geclaimd_door, laatste_fout, afgeleverd_op, aangemaakt_op
FROM bezorgingen;
DROP TABLE bezorgingen;
ALTER TABLE bezorgingen_nieuw RENAME TO bezorgingen;
CREATE INDEX bezorgingen_wachtend_idx ON bezorgingen (status, volgende_poging_op);
CREATE INDEX bezorgingen_outbox_idx ON bezorgingen (outbox_id);
CREATE INDEX bezorgingen_abonnement_idx ON bezorgingen (abonnement_id);
CREATE INDEX bezorgingen_verzenden_idx ON bezorgingen (status, geclaimd_tot);
