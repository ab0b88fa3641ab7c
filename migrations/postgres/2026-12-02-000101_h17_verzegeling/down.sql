DROP TABLE logverzegelaar;
DROP INDEX verwerkingslog_onverzegeld_idx;
DROP INDEX audittrail_onverzegeld_idx;
DROP INDEX audittrail_keten_volgnummer_uk;
CREATE UNIQUE INDEX audittrail_keten_volgnummer_uk ON audittrail (keten, volgnummer);
DROP INDEX verwerkingslog_keten_volgnummer_uk;
CREATE UNIQUE INDEX verwerkingslog_keten_volgnummer_uk ON verwerkingslog (keten, volgnummer);
DROP TRIGGER audittrail_niet_verwijderen ON audittrail;
DROP TRIGGER verwerkingslog_niet_verwijderen ON verwerkingslog;
DROP TRIGGER audittrail_alleen_toevoegen ON audittrail;
DROP TRIGGER verwerkingslog_alleen_toevoegen ON verwerkingslog;
CREATE OR REPLACE FUNCTION ketenregie_alleen_toevoegen() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'DELETE' AND TG_TABLE_NAME = 'verwerkingslog' AND EXISTS (
        SELECT 1 FROM logbewaring_vergunningen v
        WHERE v.keten = OLD.keten AND OLD.volgnummer < v.tot_volgnummer) THEN
        RETURN OLD;
    END IF;
    RAISE EXCEPTION '% is append-only', TG_TABLE_NAME;
END
$$ LANGUAGE plpgsql;
CREATE TRIGGER audittrail_alleen_toevoegen BEFORE UPDATE OR DELETE ON audittrail
FOR EACH ROW EXECUTE FUNCTION ketenregie_alleen_toevoegen();
CREATE TRIGGER verwerkingslog_alleen_toevoegen BEFORE UPDATE OR DELETE ON verwerkingslog
FOR EACH ROW EXECUTE FUNCTION ketenregie_alleen_toevoegen();
DROP FUNCTION ketenregie_log_verzegelen();
