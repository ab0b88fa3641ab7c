DROP TRIGGER logketens_alleen_vooruit_d;
DROP TRIGGER logketens_alleen_vooruit_u;
DROP TRIGGER verwerkingslog_alleen_toevoegen_d;
DROP TABLE logbewaring_vergunningen;
DROP TABLE betrokkene_herleidingen;
DROP TABLE sluitingsdagen;
