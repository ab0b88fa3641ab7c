-- This migration: state every instance must agree on, kept in the database rather than in
-- one process's memory (issue 14, finding 7). Keep this tree and the other alike: a test
-- compares them. No personal data.

-- The development demo clock (POST /api/v1/demo-klok/verschuivingen): how far the clock
-- was moved forward, in seconds. One row. Read and moved only in development mode; a
-- production instance ignores it (crates/api/src/routes/demo_klok.rs).
CREATE TABLE demoklok (
    id INTEGER NOT NULL PRIMARY KEY CHECK (id = 1),
    verschuiving_seconden BIGINT NOT NULL CHECK (verschuiving_seconden >= 0),
    gewijzigd_op TIMESTAMP NOT NULL
);
INSERT INTO demoklok (id, verschuiving_seconden, gewijzigd_op) VALUES (1, 0, CURRENT_TIMESTAMP);

-- The readiness write probe (GET /health/ready): each probe rewrites this one row in a
-- write transaction, so readiness fails when the database cannot take a write (a full
-- disk, a read-only file or replica), not only when it cannot answer SELECT 1.
CREATE TABLE gereedheidsproef (
    id INTEGER NOT NULL PRIMARY KEY CHECK (id = 1),
    geschreven_op TIMESTAMP NOT NULL
);
INSERT INTO gereedheidsproef (id, geschreven_op) VALUES (1, CURRENT_TIMESTAMP);
