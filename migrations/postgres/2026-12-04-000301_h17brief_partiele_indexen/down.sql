DROP INDEX personen_bsn_idx;
CREATE INDEX personen_bsn_idx ON personen (bsn_hash);
DROP INDEX personen_adres_idx;
CREATE INDEX personen_adres_idx ON personen (adres_hash);
DROP INDEX incidenten_gezin_idx;
CREATE INDEX incidenten_gezin_idx ON incidenten (gezin_id);
