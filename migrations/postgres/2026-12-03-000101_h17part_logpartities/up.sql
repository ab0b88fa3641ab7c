-- Issue 17 point 6: the logs stay cheap as they grow. On PostgreSQL the processing log
-- (`verwerkingslog`, by `start_op`) and the audit trail (`audittrail`, by `tijdstip`) are
-- partitioned by calendar month (declarative range partitioning, UTC month bounds), so
-- retention can drop a whole month (`DROP TABLE` of one partition) instead of deleting
-- row by row. SQLite is unchanged.
--
-- Partitions are named `<table>_pYYYY_MM`; a DEFAULT partition `<table>_standaard` takes
-- a row whose month has no partition yet, so an insert never fails. The service creates
-- the current month and the two ahead at start and in the daily job
-- (`ketenregie_logpartitie`, below, serialised by an advisory lock).
--
-- What partitioning changes (see ARCHITECTURE.md, "Log partitions"):
-- * the primary key includes the partition key: (id, start_op) and (id, tijdstip); ids
--   are UUIDv7, unique by construction;
-- * the unique (keten, volgnummer) WHERE volgnummer > 0 can only be enforced per
--   partition (`<partition>_keten_volgnummer_uk`, made with each partition): positions
--   stay unique across partitions because only the sealer gives them, in order, under
--   the chain head's row lock (`logketens`), which hands out each position once.
-- * row triggers on the parent are cloned to every partition; the guards name the parent
--   table in their error (`verwerkingslog is append-only`).

-- The guards see a partition's name in TG_TABLE_NAME: name the parent instead.
CREATE FUNCTION ketenregie_logtabel(naam TEXT) RETURNS TEXT AS $$
    SELECT regexp_replace(naam, '_(p[0-9]{4}_[0-9]{2}|standaard)$', '')
$$ LANGUAGE sql IMMUTABLE;

CREATE OR REPLACE FUNCTION ketenregie_log_verzegelen() RETURNS trigger AS $$
BEGIN
    IF OLD.volgnummer = 0 AND OLD.hash = '' AND NEW.volgnummer > 0 AND NEW.hash <> ''
       AND to_jsonb(NEW) - 'volgnummer' - 'vorige_hash' - 'hash'
           = to_jsonb(OLD) - 'volgnummer' - 'vorige_hash' - 'hash' THEN
        RETURN NEW;
    END IF;
    RAISE EXCEPTION '% is append-only', ketenregie_logtabel(TG_TABLE_NAME);
END
$$ LANGUAGE plpgsql;

CREATE OR REPLACE FUNCTION ketenregie_alleen_toevoegen() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'DELETE' AND ketenregie_logtabel(TG_TABLE_NAME) = 'verwerkingslog'
       AND OLD.volgnummer > 0 AND EXISTS (
        SELECT 1 FROM logbewaring_vergunningen v
        WHERE v.keten = OLD.keten AND OLD.volgnummer < v.tot_volgnummer) THEN
        RETURN OLD;
    END IF;
    RAISE EXCEPTION '% is append-only', ketenregie_logtabel(TG_TABLE_NAME);
END
$$ LANGUAGE plpgsql;

-- Make (if missing) the partition of `tabel` ('verwerkingslog' or 'audittrail') for the
-- calendar month of `maand`, with its unique chain positions. Returns the partition's
-- name; NULL when the DEFAULT partition already holds rows of that month (creating the
-- partition would fail: those rows stay in DEFAULT, where retention removes them row by
-- row, and the month gets no partition). Serialised by a transaction advisory lock, so
-- several instances may call it at once.
CREATE FUNCTION ketenregie_logpartitie(tabel TEXT, maand DATE) RETURNS TEXT AS $$
DECLARE
    van DATE := date_trunc('month', maand)::date;
    tot DATE := (date_trunc('month', maand) + interval '1 month')::date;
    naam TEXT := tabel || '_p' || to_char(maand, 'YYYY_MM');
    kolom TEXT;
    bezet BOOLEAN;
BEGIN
    IF tabel = 'verwerkingslog' THEN
        kolom := 'start_op';
    ELSIF tabel = 'audittrail' THEN
        kolom := 'tijdstip';
    ELSE
        RAISE EXCEPTION 'geen logtabel: %', tabel;
    END IF;
    PERFORM pg_advisory_xact_lock(hashtext('ketenregie_logpartitie'));
    IF to_regclass(naam) IS NOT NULL THEN
        RETURN naam;
    END IF;
    EXECUTE format('SELECT EXISTS (SELECT 1 FROM %I WHERE %I >= $1 AND %I < $2)',
                   tabel || '_standaard', kolom, kolom)
        INTO bezet USING van::timestamp, tot::timestamp;
    IF bezet THEN
        RETURN NULL;
    END IF;
    EXECUTE format('CREATE TABLE %I PARTITION OF %I FOR VALUES FROM (%L) TO (%L)',
                   naam, tabel, van::timestamp, tot::timestamp);
    EXECUTE format('CREATE UNIQUE INDEX %I ON %I (keten, volgnummer) WHERE volgnummer > 0',
                   naam || '_keten_volgnummer_uk', naam);
    RETURN naam;
END
$$ LANGUAGE plpgsql;

-- Rebuild both tables partitioned, moving the rows: every month that has rows gets its
-- partition first (so nothing lands in DEFAULT), then the current month and two ahead.
ALTER TABLE verwerkingslog RENAME TO verwerkingslog_oud;
ALTER TABLE audittrail RENAME TO audittrail_oud;
ALTER TABLE verwerkingslog_oud RENAME CONSTRAINT verwerkingslog_pkey TO verwerkingslog_oud_pkey;
ALTER TABLE audittrail_oud RENAME CONSTRAINT audittrail_pkey TO audittrail_oud_pkey;
DROP INDEX verwerkingslog_keten_volgnummer_uk, verwerkingslog_betrokkene_idx,
    verwerkingslog_organisatie_idx, verwerkingslog_onverzegeld_idx;
DROP INDEX audittrail_keten_volgnummer_uk, audittrail_object_idx, audittrail_doorbraak_idx,
    audittrail_trace_idx, audittrail_weigering_idx, audittrail_onverzegeld_idx;

CREATE TABLE verwerkingslog (LIKE verwerkingslog_oud INCLUDING DEFAULTS INCLUDING CONSTRAINTS)
    PARTITION BY RANGE (start_op);
ALTER TABLE verwerkingslog ADD CONSTRAINT verwerkingslog_pkey PRIMARY KEY (id, start_op);
CREATE TABLE verwerkingslog_standaard PARTITION OF verwerkingslog DEFAULT;
CREATE UNIQUE INDEX verwerkingslog_standaard_keten_volgnummer_uk
    ON verwerkingslog_standaard (keten, volgnummer) WHERE volgnummer > 0;

CREATE TABLE audittrail (LIKE audittrail_oud INCLUDING DEFAULTS INCLUDING CONSTRAINTS)
    PARTITION BY RANGE (tijdstip);
ALTER TABLE audittrail ADD CONSTRAINT audittrail_pkey PRIMARY KEY (id, tijdstip);
CREATE TABLE audittrail_standaard PARTITION OF audittrail DEFAULT;
CREATE UNIQUE INDEX audittrail_standaard_keten_volgnummer_uk
    ON audittrail_standaard (keten, volgnummer) WHERE volgnummer > 0;

SELECT ketenregie_logpartitie('verwerkingslog', m::date)
FROM (SELECT DISTINCT date_trunc('month', start_op) AS m FROM verwerkingslog_oud
      UNION SELECT date_trunc('month', now() AT TIME ZONE 'UTC') + n * interval '1 month'
      FROM generate_series(0, 2) AS n) AS maanden ORDER BY m;
SELECT ketenregie_logpartitie('audittrail', m::date)
FROM (SELECT DISTINCT date_trunc('month', tijdstip) AS m FROM audittrail_oud
      UNION SELECT date_trunc('month', now() AT TIME ZONE 'UTC') + n * interval '1 month'
      FROM generate_series(0, 2) AS n) AS maanden ORDER BY m;

INSERT INTO verwerkingslog SELECT * FROM verwerkingslog_oud;
INSERT INTO audittrail SELECT * FROM audittrail_oud;
-- DROP TABLE fires no row trigger: the old tables (and their guards) simply go.
DROP TABLE verwerkingslog_oud;
DROP TABLE audittrail_oud;

-- Every index of before, on the parent (so it reaches every partition, also those made
-- later), except the chain-position uniqueness, which is per partition (above).
CREATE INDEX verwerkingslog_betrokkene_idx ON verwerkingslog (betrokkene, start_op);
CREATE INDEX verwerkingslog_organisatie_idx ON verwerkingslog (organisatie, start_op);
CREATE INDEX verwerkingslog_onverzegeld_idx ON verwerkingslog (keten, id) WHERE volgnummer = 0;
CREATE INDEX audittrail_object_idx ON audittrail (object_type, object_id);
CREATE INDEX audittrail_doorbraak_idx ON audittrail (doorbraak, tijdstip);
CREATE INDEX audittrail_trace_idx ON audittrail (trace_id);
CREATE INDEX audittrail_weigering_idx ON audittrail (resultaat, tijdstip);
CREATE INDEX audittrail_onverzegeld_idx ON audittrail (keten, id) WHERE volgnummer = 0;

-- Every guard of before, on the parent (cloned to every partition).
CREATE TRIGGER audittrail_alleen_toevoegen BEFORE UPDATE ON audittrail
FOR EACH ROW EXECUTE FUNCTION ketenregie_log_verzegelen();
CREATE TRIGGER verwerkingslog_alleen_toevoegen BEFORE UPDATE ON verwerkingslog
FOR EACH ROW EXECUTE FUNCTION ketenregie_log_verzegelen();
CREATE TRIGGER audittrail_niet_verwijderen BEFORE DELETE ON audittrail
FOR EACH ROW EXECUTE FUNCTION ketenregie_alleen_toevoegen();
CREATE TRIGGER verwerkingslog_niet_verwijderen BEFORE DELETE ON verwerkingslog
FOR EACH ROW EXECUTE FUNCTION ketenregie_alleen_toevoegen();
