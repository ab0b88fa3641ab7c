-- Issue 17 point 2: hash chains off the request path. A log row is appended unsealed
-- (`volgnummer = 0`, `vorige_hash = ''`, `hash = ''`); the sealer
-- (`privacy::logboek::verzegelaar`) gives the rows of each chain their position and links
-- in order shortly after commit. The one update a log row allows: its seal, once, on an
-- unsealed row, changing nothing else.
DROP TRIGGER audittrail_alleen_toevoegen_u;
CREATE TRIGGER audittrail_alleen_toevoegen_u BEFORE UPDATE ON audittrail
WHEN NOT (OLD.volgnummer = 0 AND OLD.hash = '' AND NEW.volgnummer > 0 AND NEW.hash <> ''
          AND NEW.id IS OLD.id AND NEW.keten IS OLD.keten AND NEW.tijdstip IS OLD.tijdstip
          AND NEW.trace_id IS OLD.trace_id AND NEW.gebruiker IS OLD.gebruiker
          AND NEW.gebruiker_naam IS OLD.gebruiker_naam AND NEW.organisatie IS OLD.organisatie
          AND NEW.applicatie IS OLD.applicatie AND NEW.actie IS OLD.actie
          AND NEW.object_type IS OLD.object_type AND NEW.object_id IS OLD.object_id
          AND NEW.eigenaar IS OLD.eigenaar AND NEW.resultaat IS OLD.resultaat
          AND NEW.toelichting IS OLD.toelichting AND NEW.doorbraak IS OLD.doorbraak
          AND NEW.grondslag IS OLD.grondslag AND NEW.oude_waarde IS OLD.oude_waarde
          AND NEW.nieuwe_waarde IS OLD.nieuwe_waarde)
BEGIN SELECT RAISE(ABORT, 'audittrail is append-only'); END;
DROP TRIGGER verwerkingslog_alleen_toevoegen_u;
CREATE TRIGGER verwerkingslog_alleen_toevoegen_u BEFORE UPDATE ON verwerkingslog
WHEN NOT (OLD.volgnummer = 0 AND OLD.hash = '' AND NEW.volgnummer > 0 AND NEW.hash <> ''
          AND NEW.id IS OLD.id AND NEW.keten IS OLD.keten AND NEW.trace_id IS OLD.trace_id
          AND NEW.span_id IS OLD.span_id AND NEW.parent_span_id IS OLD.parent_span_id
          AND NEW.organisatie IS OLD.organisatie AND NEW.activiteit IS OLD.activiteit
          AND NEW.grondslag IS OLD.grondslag AND NEW.convenant_id IS OLD.convenant_id
          AND NEW.convenant_versie IS OLD.convenant_versie AND NEW.betrokkene IS OLD.betrokkene
          AND NEW.resultaat IS OLD.resultaat AND NEW.doorbraak IS OLD.doorbraak
          AND NEW.start_op IS OLD.start_op AND NEW.eind_op IS OLD.eind_op)
BEGIN SELECT RAISE(ABORT, 'verwerkingslog is append-only'); END;

-- Retention removes sealed rows only.
DROP TRIGGER verwerkingslog_alleen_toevoegen_d;
CREATE TRIGGER verwerkingslog_alleen_toevoegen_d BEFORE DELETE ON verwerkingslog
WHEN OLD.volgnummer <= 0 OR NOT EXISTS (SELECT 1 FROM logbewaring_vergunningen v
                 WHERE v.keten = OLD.keten AND OLD.volgnummer < v.tot_volgnummer)
BEGIN SELECT RAISE(ABORT, 'verwerkingslog is append-only'); END;

-- A position is unique in its chain once given; unsealed rows share position 0.
DROP INDEX audittrail_keten_volgnummer_uk;
CREATE UNIQUE INDEX audittrail_keten_volgnummer_uk ON audittrail (keten, volgnummer) WHERE volgnummer > 0;
DROP INDEX verwerkingslog_keten_volgnummer_uk;
CREATE UNIQUE INDEX verwerkingslog_keten_volgnummer_uk ON verwerkingslog (keten, volgnummer) WHERE volgnummer > 0;

-- The sealer's work list: the few unsealed rows, per chain in order-key order.
CREATE INDEX audittrail_onverzegeld_idx ON audittrail (keten, id) WHERE volgnummer = 0;
CREATE INDEX verwerkingslog_onverzegeld_idx ON verwerkingslog (keten, id) WHERE volgnummer = 0;

-- The sealer's lease (one instance seals at a time).
CREATE TABLE logverzegelaar (
    id TEXT NOT NULL PRIMARY KEY,
    houder TEXT NOT NULL,
    geldig_tot TIMESTAMP NOT NULL
);
INSERT INTO logverzegelaar (id, houder, geldig_tot) VALUES ('verzegelaar', '', '1970-01-01 00:00:00');
