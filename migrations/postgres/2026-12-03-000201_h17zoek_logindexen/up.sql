-- Issue 17 points 5 and 6: the privacy officer's log views page by keyset on (.., time,
-- id) and search by person and period on indexes, so a page costs the same however long
-- the logs are. Plain CREATE INDEX on the (partitioned, on PostgreSQL) parent tables:
-- PostgreSQL creates each partition's index with it. The conditions `WHERE doorbraak` and
-- `WHERE resultaat >= 400` are written as SQL text in the queries (logboek::lezen), so
-- both planners match them.
-- The processing log of one organisation, newest first (search without a person).
DROP INDEX IF EXISTS verwerkingslog_organisatie_idx;
CREATE INDEX verwerkingslog_organisatie_idx ON verwerkingslog (organisatie, start_op, id);
-- The processing log of one organisation about one person, newest first.
CREATE INDEX verwerkingslog_organisatie_betrokkene_idx ON verwerkingslog (organisatie, betrokkene, start_op, id);
-- Whether a person's data was processed in a request (trace): the refusals about a person.
CREATE INDEX verwerkingslog_betrokkene_trace_idx ON verwerkingslog (betrokkene, trace_id);
-- An object's audit trail, oldest first.
DROP INDEX IF EXISTS audittrail_object_idx;
CREATE INDEX audittrail_object_idx ON audittrail (object_type, object_id, tijdstip, id);
-- The refused attempts on an organisation's records, newest first.
CREATE INDEX audittrail_weigering_eigenaar_idx ON audittrail (eigenaar, tijdstip, id) WHERE resultaat >= 400;
-- The break-glass reads by an organisation and on its records, newest first.
CREATE INDEX audittrail_doorbraak_lezer_idx ON audittrail (organisatie, tijdstip, id) WHERE doorbraak;
CREATE INDEX audittrail_doorbraak_eigenaar_idx ON audittrail (eigenaar, tijdstip, id) WHERE doorbraak;
