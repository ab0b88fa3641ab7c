ALTER TABLE incidenten DROP COLUMN versie;
ALTER TABLE sluitingsdagen DROP COLUMN versie;
ALTER TABLE convenanten DROP COLUMN revisie;
