-- The privacy officer's views (issue 15 point 4).
--
-- The disclosure register: every read of an organisation's record by another
-- organisation, written in the reading transaction beside the audit row it repeats (linked
-- by trace id), with what the audit trail does not hold: the reader's roles and the
-- purpose. The owner's privacy officer reads it (GET /verwerkingen/verstrekkingen); it is
-- kept for the owner's processing-log term.
CREATE TABLE verstrekkingen (
    id TEXT NOT NULL PRIMARY KEY,
    eigenaar TEXT NOT NULL,
    ontvanger TEXT NOT NULL,
    rollen TEXT NOT NULL,
    object_type TEXT NOT NULL,
    object_id TEXT NOT NULL,
    doel TEXT NOT NULL,
    grondslag TEXT NOT NULL,
    convenant_id TEXT,
    convenant_versie BIGINT,
    doorbraak BOOLEAN NOT NULL,
    trace_id TEXT NOT NULL,
    tijdstip TIMESTAMP NOT NULL
);
CREATE INDEX verstrekkingen_eigenaar_idx ON verstrekkingen (eigenaar, tijdstip);
CREATE INDEX verstrekkingen_object_idx ON verstrekkingen (object_id);

-- A notification may carry data that is no personal data (the owner's notice of a
-- disclosure: record id, reader, purpose, time), as JSON.
ALTER TABLE outbox ADD COLUMN gegevens TEXT;

-- The refused attempts, for the privacy officer's search.
CREATE INDEX audittrail_weigering_idx ON audittrail (resultaat, tijdstip);
