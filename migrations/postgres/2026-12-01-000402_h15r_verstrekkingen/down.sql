DROP INDEX audittrail_weigering_idx;
ALTER TABLE outbox DROP COLUMN gegevens;
DROP TABLE verstrekkingen;
