-- Back to refusing every update. Values the service encrypted stay encrypted: the older
-- version cannot read them (it has no `v1:` reader for these columns).
DROP TRIGGER eigen_verklaringen_alleen_toevoegen_u;
CREATE TRIGGER eigen_verklaringen_alleen_toevoegen_u BEFORE UPDATE ON eigen_verklaringen
BEGIN SELECT RAISE(ABORT, 'eigen verklaringen are never altered'); END;
