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
