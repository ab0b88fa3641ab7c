-- This migration: the sessions of the werkplek (the web console at /werkplek/, issue 16).
-- Kept in the database so that every instance behind the load balancer knows every
-- session, and sign-out on one instance ends it on all. Keep this tree and the other
-- alike: a test compares them.
--
-- The browser holds only a random session id in an HttpOnly cookie; the row is keyed by
-- the SHA-256 of that id, so a copy of this table cannot be replayed as a cookie. The
-- actor (user, display name, organisation, roles, client) is what the sign-in proved, the
-- same fields an access token gives the API. Idle time-out: `laatst_gebruikt_op`;
-- absolute time-out: `verloopt_op` (crates/api/src/werkplek/sessie.rs).
CREATE TABLE werkplek_sessies (
    id TEXT NOT NULL PRIMARY KEY,
    csrf TEXT NOT NULL,
    gebruiker TEXT NOT NULL,
    weergavenaam TEXT NOT NULL,
    organisatie TEXT NOT NULL,
    rollen TEXT NOT NULL,
    applicatie TEXT NOT NULL,
    aangemaakt_op TIMESTAMP NOT NULL,
    laatst_gebruikt_op TIMESTAMP NOT NULL,
    verloopt_op TIMESTAMP NOT NULL
);
CREATE INDEX werkplek_sessies_verloopt ON werkplek_sessies (verloopt_op);
