-- An agreement is a multi-party act (issue 11): a version becomes active only when an
-- authorised signatory of every party has signed that exact content (its hash); a party
-- may leave an active version; withdrawing the whole agreement needs every remaining
-- party (recorded per party) or the platform admin.
-- Keep this tree and migrations/postgres alike: a test compares them.

-- One row per signature. `inhoud_hash` is the hash of the version's content the signatory
-- reviewed; a change to a concept voids the signatures on it (`vervallen_op`).
CREATE TABLE convenant_ondertekeningen (
    id TEXT NOT NULL PRIMARY KEY,
    convenant_id TEXT NOT NULL REFERENCES convenanten (id) ON DELETE CASCADE,
    organisatie TEXT NOT NULL,
    ondertekend_door TEXT NOT NULL,
    rol TEXT NOT NULL,
    ondertekend_op TIMESTAMP NOT NULL,
    inhoud_hash TEXT NOT NULL,
    vervallen_op TIMESTAMP
);
CREATE INDEX convenant_ondertekeningen_convenant_idx ON convenant_ondertekeningen (convenant_id, organisatie);

-- A party that left an active version: no rule of that version lets data flow to or from
-- it any more.
CREATE TABLE convenant_uittredingen (
    convenant_id TEXT NOT NULL REFERENCES convenanten (id) ON DELETE CASCADE,
    organisatie TEXT NOT NULL,
    door TEXT NOT NULL,
    op TIMESTAMP NOT NULL,
    reden TEXT NOT NULL,
    PRIMARY KEY (convenant_id, organisatie)
);
CREATE INDEX convenant_uittredingen_organisatie_idx ON convenant_uittredingen (organisatie);

-- A party's request to withdraw the whole version; it takes effect when every remaining
-- party has asked.
CREATE TABLE convenant_intrekkingsverzoeken (
    convenant_id TEXT NOT NULL REFERENCES convenanten (id) ON DELETE CASCADE,
    organisatie TEXT NOT NULL,
    door TEXT NOT NULL,
    op TIMESTAMP NOT NULL,
    reden TEXT NOT NULL,
    PRIMARY KEY (convenant_id, organisatie)
);

-- Versions activated before this migration were activated by one party alone: none was
-- signed by every party, so none binds. They return to concept and need every party's
-- signature (the README's upgrade note says so).
UPDATE convenanten SET status = 'concept', geactiveerd_op = NULL WHERE status = 'actief';
