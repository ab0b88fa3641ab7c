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
CREATE OR REPLACE FUNCTION ketenregie_verklaring_alleen_versleutelen() RETURNS trigger AS $$
BEGIN
    IF substr(OLD.tekst, 1, 3) <> 'v1:' AND substr(NEW.tekst, 1, 3) = 'v1:'
       AND (NEW.id, NEW.object_type, NEW.object_id, NEW.eigenaar, NEW.betrokkene_id,
            NEW.vastgelegd_door, NEW.vertrouwelijkheid, NEW.aangemaakt_op, NEW.door,
            NEW.persoon_id)
           IS NOT DISTINCT FROM
           (OLD.id, OLD.object_type, OLD.object_id, OLD.eigenaar, OLD.betrokkene_id,
            OLD.vastgelegd_door, OLD.vertrouwelijkheid, OLD.aangemaakt_op, OLD.door,
            OLD.persoon_id) THEN
        RETURN NEW;
    END IF;
    RAISE EXCEPTION 'eigen verklaringen are never altered';
END
$$ LANGUAGE plpgsql;
