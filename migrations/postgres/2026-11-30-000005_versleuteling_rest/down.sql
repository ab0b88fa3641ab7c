-- Back to refusing every update. Values the service encrypted stay encrypted: the older
-- version cannot read them (it has no `v1:` reader for these columns).
DROP TRIGGER eigen_verklaringen_alleen_toevoegen ON eigen_verklaringen;
CREATE TRIGGER eigen_verklaringen_alleen_toevoegen BEFORE UPDATE ON eigen_verklaringen
FOR EACH ROW EXECUTE FUNCTION ketenregie_alleen_toevoegen();
DROP FUNCTION ketenregie_verklaring_alleen_versleutelen();
