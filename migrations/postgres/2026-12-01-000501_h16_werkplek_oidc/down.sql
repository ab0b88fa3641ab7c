DROP TABLE werkplek_aanmeldingen;
ALTER TABLE werkplek_sessies DROP COLUMN tokens;
