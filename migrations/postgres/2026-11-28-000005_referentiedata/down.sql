DROP TABLE referentie_import;
DROP TABLE gemeenten;
