-- Issue 17 point 5: lists page by keyset on (owner, time, id), so the id joins the index
-- that already served the order (the tie-breaker is then read from the index too).
DROP INDEX outbox_organisatie_idx;
CREATE INDEX outbox_organisatie_idx ON outbox (organisatie, aangemaakt_op, id);
DROP INDEX verstrekkingen_eigenaar_idx;
CREATE INDEX verstrekkingen_eigenaar_idx ON verstrekkingen (eigenaar, tijdstip, id);
