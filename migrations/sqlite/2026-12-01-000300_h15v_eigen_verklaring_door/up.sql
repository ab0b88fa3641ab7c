-- Issue 15 point 2: an eigen verklaring on any record that holds personal data (a person,
-- a zorgmelding, an incident, a beschikking, a terugkoppeling). Besides the person whose
-- identity it carries (`betrokkene_id`), a statement now says who made it as the record
-- knows them (`door`: a role such as `moeder` or `kind`, never a name) and, where the
-- record refers to a person record, which one (`persoon_id`). Earlier statements were on
-- persons only: the person themselves.
ALTER TABLE eigen_verklaringen ADD COLUMN door TEXT NOT NULL DEFAULT 'persoon';
ALTER TABLE eigen_verklaringen ADD COLUMN persoon_id TEXT;
CREATE INDEX eigen_verklaringen_object_id_idx ON eigen_verklaringen (object_id);

-- Never altered: the trigger covers the new columns too (the one change it allows stays
-- the encryption of a text stored in plain text before).
DROP TRIGGER eigen_verklaringen_alleen_toevoegen_u;
CREATE TRIGGER eigen_verklaringen_alleen_toevoegen_u BEFORE UPDATE ON eigen_verklaringen
WHEN NOT (
    substr(OLD.tekst, 1, 3) <> 'v1:' AND substr(NEW.tekst, 1, 3) = 'v1:'
    AND NEW.id IS OLD.id AND NEW.object_type IS OLD.object_type
    AND NEW.object_id IS OLD.object_id AND NEW.eigenaar IS OLD.eigenaar
    AND NEW.betrokkene_id IS OLD.betrokkene_id AND NEW.vastgelegd_door IS OLD.vastgelegd_door
    AND NEW.vertrouwelijkheid IS OLD.vertrouwelijkheid AND NEW.aangemaakt_op IS OLD.aangemaakt_op
    AND NEW.door IS OLD.door AND NEW.persoon_id IS OLD.persoon_id
)
BEGIN SELECT RAISE(ABORT, 'eigen verklaringen are never altered'); END;
