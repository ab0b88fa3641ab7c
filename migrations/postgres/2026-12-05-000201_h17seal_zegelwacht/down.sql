-- The guard as 2026-12-03-000101 made it (JSON comparison).
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
