-- Issue 17 point 2: hash chains off the request path. A log row is appended unsealed
-- (`volgnummer = 0`, `vorige_hash = ''`, `hash = ''`: no chain position yet, no chain-head
-- lock); the sealer (`privacy::logboek::verzegelaar`) gives the rows of each chain their
-- position and links in order shortly after commit, holding the chain head's row lock
-- and, to keep instances from doing the same work, the lease below.
--
-- The one update a log row allows: its seal, once, on an unsealed row, changing nothing
-- else. Everything else stays refused (append-only, issue 14 finding 4).
CREATE FUNCTION ketenregie_log_verzegelen() RETURNS trigger AS $$
BEGIN
    IF OLD.volgnummer = 0 AND OLD.hash = '' AND NEW.volgnummer > 0 AND NEW.hash <> ''
       AND to_jsonb(NEW) - 'volgnummer' - 'vorige_hash' - 'hash'
           = to_jsonb(OLD) - 'volgnummer' - 'vorige_hash' - 'hash' THEN
        RETURN NEW;
    END IF;
    RAISE EXCEPTION '% is append-only', TG_TABLE_NAME;
END
$$ LANGUAGE plpgsql;
DROP TRIGGER audittrail_alleen_toevoegen ON audittrail;
DROP TRIGGER verwerkingslog_alleen_toevoegen ON verwerkingslog;
-- The update guard keeps the old trigger name; the delete guard gets its own.
CREATE TRIGGER audittrail_alleen_toevoegen BEFORE UPDATE ON audittrail
FOR EACH ROW EXECUTE FUNCTION ketenregie_log_verzegelen();
CREATE TRIGGER verwerkingslog_alleen_toevoegen BEFORE UPDATE ON verwerkingslog
FOR EACH ROW EXECUTE FUNCTION ketenregie_log_verzegelen();
CREATE TRIGGER audittrail_niet_verwijderen BEFORE DELETE ON audittrail
FOR EACH ROW EXECUTE FUNCTION ketenregie_alleen_toevoegen();
CREATE TRIGGER verwerkingslog_niet_verwijderen BEFORE DELETE ON verwerkingslog
FOR EACH ROW EXECUTE FUNCTION ketenregie_alleen_toevoegen();

-- Retention removes sealed rows only (an unsealed row has no position a permit covers).
CREATE OR REPLACE FUNCTION ketenregie_alleen_toevoegen() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'DELETE' AND TG_TABLE_NAME = 'verwerkingslog' AND OLD.volgnummer > 0 AND EXISTS (
        SELECT 1 FROM logbewaring_vergunningen v
        WHERE v.keten = OLD.keten AND OLD.volgnummer < v.tot_volgnummer) THEN
        RETURN OLD;
    END IF;
    RAISE EXCEPTION '% is append-only', TG_TABLE_NAME;
END
$$ LANGUAGE plpgsql;

-- A position is unique in its chain once given; unsealed rows share position 0.
DROP INDEX audittrail_keten_volgnummer_uk;
CREATE UNIQUE INDEX audittrail_keten_volgnummer_uk ON audittrail (keten, volgnummer) WHERE volgnummer > 0;
DROP INDEX verwerkingslog_keten_volgnummer_uk;
CREATE UNIQUE INDEX verwerkingslog_keten_volgnummer_uk ON verwerkingslog (keten, volgnummer) WHERE volgnummer > 0;

-- The sealer's work list: the few unsealed rows, per chain in order-key order (the id is a
-- UUIDv7, so it orders by time of writing).
CREATE INDEX audittrail_onverzegeld_idx ON audittrail (keten, id) WHERE volgnummer = 0;
CREATE INDEX verwerkingslog_onverzegeld_idx ON verwerkingslog (keten, id) WHERE volgnummer = 0;

-- The sealer's lease: one instance seals at a time; another takes over when it lapses.
CREATE TABLE logverzegelaar (
    id TEXT NOT NULL PRIMARY KEY,
    houder TEXT NOT NULL,
    geldig_tot TIMESTAMP NOT NULL
);
INSERT INTO logverzegelaar (id, houder, geldig_tot) VALUES ('verzegelaar', '', '1970-01-01 00:00:00');
