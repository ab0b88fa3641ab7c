-- An organisation's own closed days (issue 14, finding 11): Dutch calendar days on which
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
