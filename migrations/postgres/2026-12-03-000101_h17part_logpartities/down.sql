-- Back to one table each, rows moved, the indexes and guards of 2026-12-02-000101.
ALTER TABLE verwerkingslog RENAME TO verwerkingslog_deel;
ALTER TABLE audittrail RENAME TO audittrail_deel;
ALTER TABLE verwerkingslog_deel RENAME CONSTRAINT verwerkingslog_pkey TO verwerkingslog_deel_pkey;
ALTER TABLE audittrail_deel RENAME CONSTRAINT audittrail_pkey TO audittrail_deel_pkey;
ALTER INDEX verwerkingslog_betrokkene_idx RENAME TO verwerkingslog_deel_betrokkene_idx;
ALTER INDEX verwerkingslog_organisatie_idx RENAME TO verwerkingslog_deel_organisatie_idx;
ALTER INDEX verwerkingslog_onverzegeld_idx RENAME TO verwerkingslog_deel_onverzegeld_idx;
ALTER INDEX audittrail_object_idx RENAME TO audittrail_deel_object_idx;
ALTER INDEX audittrail_doorbraak_idx RENAME TO audittrail_deel_doorbraak_idx;
ALTER INDEX audittrail_trace_idx RENAME TO audittrail_deel_trace_idx;
ALTER INDEX audittrail_weigering_idx RENAME TO audittrail_deel_weigering_idx;
ALTER INDEX audittrail_onverzegeld_idx RENAME TO audittrail_deel_onverzegeld_idx;

CREATE TABLE verwerkingslog (LIKE verwerkingslog_deel INCLUDING DEFAULTS INCLUDING CONSTRAINTS);
ALTER TABLE verwerkingslog ADD PRIMARY KEY (id);
CREATE TABLE audittrail (LIKE audittrail_deel INCLUDING DEFAULTS INCLUDING CONSTRAINTS);
ALTER TABLE audittrail ADD PRIMARY KEY (id);
INSERT INTO verwerkingslog SELECT * FROM verwerkingslog_deel;
INSERT INTO audittrail SELECT * FROM audittrail_deel;
DROP TABLE verwerkingslog_deel;
DROP TABLE audittrail_deel;
DROP FUNCTION ketenregie_logpartitie(TEXT, DATE);

CREATE UNIQUE INDEX audittrail_keten_volgnummer_uk ON audittrail (keten, volgnummer) WHERE volgnummer > 0;
CREATE INDEX audittrail_object_idx ON audittrail (object_type, object_id);
CREATE INDEX audittrail_doorbraak_idx ON audittrail (doorbraak, tijdstip);
CREATE INDEX audittrail_trace_idx ON audittrail (trace_id);
CREATE INDEX audittrail_weigering_idx ON audittrail (resultaat, tijdstip);
CREATE INDEX audittrail_onverzegeld_idx ON audittrail (keten, id) WHERE volgnummer = 0;
CREATE UNIQUE INDEX verwerkingslog_keten_volgnummer_uk ON verwerkingslog (keten, volgnummer) WHERE volgnummer > 0;
CREATE INDEX verwerkingslog_betrokkene_idx ON verwerkingslog (betrokkene, start_op);
CREATE INDEX verwerkingslog_organisatie_idx ON verwerkingslog (organisatie, start_op);
CREATE INDEX verwerkingslog_onverzegeld_idx ON verwerkingslog (keten, id) WHERE volgnummer = 0;

CREATE OR REPLACE FUNCTION ketenregie_log_verzegelen() RETURNS trigger AS $$
BEGIN
    IF OLD.volgnummer = 0 AND OLD.hash = '' AND NEW.volgnummer > 0 AND NEW.hash <> ''
       AND to_jsonb(NEW) - 'volgnummer' - 'vorige_hash' - 'hash'
           = to_jsonb(OLD) - 'volgnummer' - 'vorige_hash' - 'hash' THEN
        RETURN NEW;
    END IF;
    RAISE EXCEPTION '% is append-only', TG_TABLE_NAME;
END
$$ LANGUAGE plpgsql;
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
DROP FUNCTION ketenregie_logtabel(TEXT);
CREATE TRIGGER audittrail_alleen_toevoegen BEFORE UPDATE ON audittrail
FOR EACH ROW EXECUTE FUNCTION ketenregie_log_verzegelen();
CREATE TRIGGER verwerkingslog_alleen_toevoegen BEFORE UPDATE ON verwerkingslog
FOR EACH ROW EXECUTE FUNCTION ketenregie_log_verzegelen();
CREATE TRIGGER audittrail_niet_verwijderen BEFORE DELETE ON audittrail
FOR EACH ROW EXECUTE FUNCTION ketenregie_alleen_toevoegen();
CREATE TRIGGER verwerkingslog_niet_verwijderen BEFORE DELETE ON verwerkingslog
FOR EACH ROW EXECUTE FUNCTION ketenregie_alleen_toevoegen();
