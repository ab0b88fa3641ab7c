DROP TRIGGER eigen_verklaringen_alleen_toevoegen_u;
CREATE TRIGGER eigen_verklaringen_alleen_toevoegen_u BEFORE UPDATE ON eigen_verklaringen
WHEN NOT (
    substr(OLD.tekst, 1, 3) <> 'v1:' AND substr(NEW.tekst, 1, 3) = 'v1:'
    AND NEW.id IS OLD.id AND NEW.object_type IS OLD.object_type
    AND NEW.object_id IS OLD.object_id AND NEW.eigenaar IS OLD.eigenaar
    AND NEW.betrokkene_id IS OLD.betrokkene_id AND NEW.vastgelegd_door IS OLD.vastgelegd_door
    AND NEW.vertrouwelijkheid IS OLD.vertrouwelijkheid AND NEW.aangemaakt_op IS OLD.aangemaakt_op
)
BEGIN SELECT RAISE(ABORT, 'eigen verklaringen are never altered'); END;
DROP INDEX eigen_verklaringen_object_id_idx;
ALTER TABLE eigen_verklaringen DROP COLUMN persoon_id;
ALTER TABLE eigen_verklaringen DROP COLUMN door;
