DROP INDEX IF EXISTS audittrail_doorbraak_eigenaar_idx;
DROP INDEX IF EXISTS audittrail_doorbraak_lezer_idx;
DROP INDEX IF EXISTS audittrail_weigering_eigenaar_idx;
DROP INDEX IF EXISTS audittrail_object_idx;
CREATE INDEX audittrail_object_idx ON audittrail (object_type, object_id);
DROP INDEX IF EXISTS verwerkingslog_betrokkene_trace_idx;
DROP INDEX IF EXISTS verwerkingslog_organisatie_betrokkene_idx;
DROP INDEX IF EXISTS verwerkingslog_organisatie_idx;
CREATE INDEX verwerkingslog_organisatie_idx ON verwerkingslog (organisatie, start_op);
