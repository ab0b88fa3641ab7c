CREATE INDEX personen_betrokkene_idx ON personen (betrokkene);
DROP INDEX personen_betrokkene_id_idx;
CREATE INDEX gezinsleden_persoon_idx ON gezinsleden (persoon_id);
DROP INDEX gezinsleden_persoon_gezin_idx;
CREATE INDEX incidenten_kort_idx ON incidenten (id, tijdstip, soort, eigenaar, wederhoor, vertrouwelijkheid);
DROP INDEX incidenten_briefing_idx;
