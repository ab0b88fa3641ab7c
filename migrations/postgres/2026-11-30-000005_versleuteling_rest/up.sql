-- Issue 11 point 5: free text that held personal data in the clear is now stored AES-GCM
-- encrypted by the service, each value prefixed `v1:` (`VERSLEUTELD_MET_VERSIE`):
-- eigen_verklaringen.tekst, zorgmelding_stappen.reden and .gegevens,
-- beschikkingen.sterke_arm_tekst, betrokkenheden.contact_naam, .contact_telefoon and
-- .contact_email, and the audit trail's toelichting, oude_waarde and nieuwe_waarde.
--
-- SQL cannot encrypt (the key is in the service's configuration, not in the database), so
-- this migration rewrites no row. The service does, at every start-up after the migrations
-- (`VERSLEUTEL_BIJ_START`): each value of those columns that does not begin with `v1:` is
-- replaced by its ciphertext; readers accept both meanwhile. The audit trail is left as it
-- is: its hash chain covers what each row stores.
--
-- Eigen verklaringen are never altered; their trigger now allows exactly that one change:
-- a text still in plain text replaced by a ciphertext, every other column the same.
CREATE FUNCTION ketenregie_verklaring_alleen_versleutelen() RETURNS trigger AS $$
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
DROP TRIGGER eigen_verklaringen_alleen_toevoegen ON eigen_verklaringen;
CREATE TRIGGER eigen_verklaringen_alleen_toevoegen BEFORE UPDATE ON eigen_verklaringen
FOR EACH ROW EXECUTE FUNCTION ketenregie_verklaring_alleen_versleutelen();
