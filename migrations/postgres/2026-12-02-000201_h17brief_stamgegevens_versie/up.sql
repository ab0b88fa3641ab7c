-- Issue 17 point 3: the version stamp of the decision's inputs and the partner register.
-- Each instance caches the agreements, the organisation kinds and the 24/7 contact points
-- (privacy::stamgegevens) and reads this one row at the start of a request: any change to
-- the tables below bumps it in the writing transaction (statement triggers), so a
-- withdrawal or an uittreding takes effect on every instance's very next request.
CREATE TABLE stamgegevens_versie (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    versie BIGINT NOT NULL
);
INSERT INTO stamgegevens_versie (id, versie) VALUES (1, 1);
CREATE FUNCTION stamgegevens_gewijzigd() RETURNS trigger AS $$
BEGIN
    UPDATE stamgegevens_versie SET versie = versie + 1 WHERE id = 1;
    RETURN NULL;
END
$$ LANGUAGE plpgsql;
CREATE TRIGGER stamgegevens_convenanten AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON convenanten
FOR EACH STATEMENT EXECUTE FUNCTION stamgegevens_gewijzigd();
CREATE TRIGGER stamgegevens_convenant_partijen AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON convenant_partijen
FOR EACH STATEMENT EXECUTE FUNCTION stamgegevens_gewijzigd();
CREATE TRIGGER stamgegevens_convenant_uittredingen AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON convenant_uittredingen
FOR EACH STATEMENT EXECUTE FUNCTION stamgegevens_gewijzigd();
CREATE TRIGGER stamgegevens_organisaties AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON organisaties
FOR EACH STATEMENT EXECUTE FUNCTION stamgegevens_gewijzigd();
CREATE TRIGGER stamgegevens_contactpunten AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON contactpunten
FOR EACH STATEMENT EXECUTE FUNCTION stamgegevens_gewijzigd();
