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
