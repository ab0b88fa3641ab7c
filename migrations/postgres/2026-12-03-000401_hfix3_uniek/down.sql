DROP INDEX terugkoppelingen_eindresultaat_uk;
DROP INDEX organisaties_naam_sleutel_uk;
ALTER TABLE organisaties DROP COLUMN naam_sleutel;
