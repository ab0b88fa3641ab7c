DROP TABLE betrokkene_herleidingen;
DROP TABLE sluitingsdagen;
