DROP TRIGGER stamgegevens_contactpunten ON contactpunten;
DROP TRIGGER stamgegevens_organisaties ON organisaties;
DROP TRIGGER stamgegevens_convenant_uittredingen ON convenant_uittredingen;
DROP TRIGGER stamgegevens_convenant_partijen ON convenant_partijen;
DROP TRIGGER stamgegevens_convenanten ON convenanten;
DROP FUNCTION stamgegevens_gewijzigd();
DROP TABLE stamgegevens_versie;
