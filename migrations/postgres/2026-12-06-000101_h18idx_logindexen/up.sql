-- Issue 17, the logged read's cost (h18idx): every index on a log table is a btree entry,
-- WAL and dirty pages for every row the log writer inserts (three rows per logged read of
-- another organisation's record). Dropped here: the indexes no query's plan uses, or whose
-- queries another index serves as well (ARCHITECTURE.md "Index entries per log row",
-- checked with EXPLAIN on a filled log, benches/load/KETEN.md). Chain positions, unsealed
-- rows and primary keys are untouched. Partial indexes that an ordinary read's row does
-- not enter (refusals, break-glass, unsealed, long processing) stay: they cost it nothing.
-- On PostgreSQL the logs are partitioned: dropping the parent's index drops every
-- partition's.

-- (resultaat, tijdstip) over every audit row: the privacy officer's refusals are read per
-- owner on audittrail_weigering_eigenaar_idx (eigenaar, tijdstip, id) WHERE resultaat >=
-- 400; every other filter on `resultaat` (allowed rows, 200..299) comes with an object or
-- a trace and is served by audittrail_object_idx or audittrail_trace_idx.
DROP INDEX audittrail_weigering_idx;
-- (doorbraak, tijdstip) over every audit row: the break-glass list is read per reader and
-- per owner on the partial audittrail_doorbraak_lezer_idx / _eigenaar_idx (WHERE
-- doorbraak); no query reads every organisation's break-glass rows.
DROP INDEX audittrail_doorbraak_idx;
-- (betrokkene, start_op): the inzage (betrokkene IN (..), sorted by start_op, id) and
-- `ontving_van` (betrokkene IN (..) AND organisatie = ..) only need the leading column,
-- which verwerkingslog_betrokkene_trace_idx (betrokkene, trace_id) has too; an IN list
-- over several pseudonyms is sorted after the scan on either index.
DROP INDEX verwerkingslog_betrokkene_idx;
-- (object_id) on the disclosure register: no query filters on it (the register is read
-- by owner and period on verstrekkingen_eigenaar_idx, and by id).
DROP INDEX verstrekkingen_object_idx;
