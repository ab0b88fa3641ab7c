CREATE OR REPLACE FUNCTION ketenregie_verklaring_alleen_versleutelen() RETURNS trigger AS $$
BEGIN
    IF substr(OLD.tekst, 1, 3) <> 'v1:' AND substr(NEW.tekst, 1, 3) = 'v1:'
       AND (NEW.id, NEW.object_type, NEW.object_id, NEW.eigenaar, NEW.betrokkene_id,
            NEW.vastgelegd_door, NEW.vertrouwelijkheid, NEW.aangemaakt_op)
           IS NOT DISTINCT FROM
           (OLD.id, OLD.object_type, OLD.object_id, OLD.eigenaar, OLD.betrokkene_id,
            OLD.vastgelegd_door, OLD.vertrouwelijkheid, OLD.aangemaakt_op) THEN
        RETURN NEW;
    END IF;
    RAISE EXCEPTION 'eigen verklaringen are never altered';
END
$$ LANGUAGE plpgsql;
DROP INDEX eigen_verklaringen_object_id_idx;
ALTER TABLE eigen_verklaringen DROP COLUMN persoon_id;
ALTER TABLE eigen_verklaringen DROP COLUMN door;
