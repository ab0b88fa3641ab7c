DROP INDEX outbox_onderwerp_idx;
DROP INDEX zorgmeldingen_gewijzigd_idx;
ALTER TABLE bewaartermijnen DROP COLUMN versie;
