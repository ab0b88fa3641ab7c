DROP TABLE logverzegelaar;
DROP INDEX verwerkingslog_onverzegeld_idx;
DROP INDEX audittrail_onverzegeld_idx;
DROP INDEX audittrail_keten_volgnummer_uk;
CREATE UNIQUE INDEX audittrail_keten_volgnummer_uk ON audittrail (keten, volgnummer);
DROP INDEX verwerkingslog_keten_volgnummer_uk;
CREATE UNIQUE INDEX verwerkingslog_keten_volgnummer_uk ON verwerkingslog (keten, volgnummer);
DROP TRIGGER verwerkingslog_alleen_toevoegen_d;
CREATE TRIGGER verwerkingslog_alleen_toevoegen_d BEFORE DELETE ON verwerkingslog
WHEN NOT EXISTS (SELECT 1 FROM logbewaring_vergunningen v
                 WHERE v.keten = OLD.keten AND OLD.volgnummer < v.tot_volgnummer)
BEGIN SELECT RAISE(ABORT, 'verwerkingslog is append-only'); END;
DROP TRIGGER audittrail_alleen_toevoegen_u;
CREATE TRIGGER audittrail_alleen_toevoegen_u BEFORE UPDATE ON audittrail
BEGIN SELECT RAISE(ABORT, 'audittrail is append-only'); END;
DROP TRIGGER verwerkingslog_alleen_toevoegen_u;
CREATE TRIGGER verwerkingslog_alleen_toevoegen_u BEFORE UPDATE ON verwerkingslog
BEGIN SELECT RAISE(ABORT, 'verwerkingslog is append-only'); END;
