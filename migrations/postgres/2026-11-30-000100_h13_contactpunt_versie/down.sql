ALTER TABLE contactpunten DROP COLUMN versie;
