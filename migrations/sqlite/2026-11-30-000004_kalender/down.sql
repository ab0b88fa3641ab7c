DROP TABLE sluitingsdagen;
