DROP TRIGGER logketens_alleen_vooruit ON logketens;
DROP FUNCTION ketenregie_kop_vooruit();
CREATE OR REPLACE FUNCTION ketenregie_alleen_toevoegen() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'DELETE' AND TG_TABLE_NAME = 'verwerkingslog'
       AND current_setting('ketenregie.bewaring', true) = 'aan' THEN
        RETURN OLD;
    END IF;
    RAISE EXCEPTION '% is append-only', TG_TABLE_NAME;
END
$$ LANGUAGE plpgsql;
DROP TABLE logbewaring_vergunningen;
DROP TABLE betrokkene_herleidingen;
DROP TABLE sluitingsdagen;
