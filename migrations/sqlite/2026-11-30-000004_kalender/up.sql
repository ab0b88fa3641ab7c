-- This migration: an organisation's own closed days (issue 14, finding 11): Dutch calendar days on which
-- the organisation does not work, skipped when its feedback deadlines are counted in
-- working days (crates/common/src/werkdagen.rs, crates/referral/src/sluitingsdagen.rs).
-- Set by its functional admin (PUT /api/v1/sluitingsdagen/{datum}). No personal data.
-- Keep this tree and the other alike: a test compares them.

CREATE TABLE sluitingsdagen (
    organisatie TEXT NOT NULL,
    datum DATE NOT NULL,
    omschrijving TEXT NOT NULL,
    vastgelegd_door TEXT NOT NULL,
    vastgelegd_op TIMESTAMP NOT NULL,
    PRIMARY KEY (organisatie, datum)
);

-- Identities re-derived under a new name normalisation (issue 14, finding 9):
-- `ketenregie sleutels herbereken` records here each data-subject id that changed, so the
-- processing log (append-only and hash-chained, never rewritten) is still found under the
-- subject's current pseudonym (crates/privacy/src/herleiding.rs). Each old id has one new id.
CREATE TABLE betrokkene_herleidingen (
    oud TEXT NOT NULL PRIMARY KEY,
    nieuw TEXT NOT NULL,
    oud_pseudoniem TEXT NOT NULL,
    nieuw_pseudoniem TEXT NOT NULL,
    herleid_op TIMESTAMP NOT NULL
);
CREATE INDEX betrokkene_herleidingen_nieuw_idx ON betrokkene_herleidingen (nieuw);
CREATE INDEX betrokkene_herleidingen_nieuw_pseudoniem_idx ON betrokkene_herleidingen (nieuw_pseudoniem);

-- Tamper evidence that covers deletion (issue 14, finding 4). Every log table refuses
-- UPDATE and DELETE on both backends: the audit trail (2026-11-28-000002), the processing
-- log (UPDATE there; DELETE here), and the chain heads (here: a head is never removed and
-- only moves forward, so a rewind needs the guard switched off, and then `audit verify
-- --tegen` against an external checkpoint shows it). Retention deletes processing-log
-- rows only as a chain prefix, under a permit it writes and removes in its own
-- transaction, and leaves a checkpoint row in the chain (crates/privacy/src/logboek.rs
-- `bewaar_keten`).
CREATE TABLE logbewaring_vergunningen (
    keten TEXT NOT NULL PRIMARY KEY,
    tot_volgnummer BIGINT NOT NULL
);
CREATE TRIGGER verwerkingslog_alleen_toevoegen_d BEFORE DELETE ON verwerkingslog
WHEN NOT EXISTS (SELECT 1 FROM logbewaring_vergunningen v
                 WHERE v.keten = OLD.keten AND OLD.volgnummer < v.tot_volgnummer)
BEGIN SELECT RAISE(ABORT, 'verwerkingslog is append-only'); END;
CREATE TRIGGER logketens_alleen_vooruit_u BEFORE UPDATE ON logketens
WHEN NEW.volgnummer < OLD.volgnummer OR NEW.id <> OLD.id
BEGIN SELECT RAISE(ABORT, 'logketens: a chain head only moves forward'); END;
CREATE TRIGGER logketens_alleen_vooruit_d BEFORE DELETE ON logketens
BEGIN SELECT RAISE(ABORT, 'logketens: a chain head is never removed'); END;
