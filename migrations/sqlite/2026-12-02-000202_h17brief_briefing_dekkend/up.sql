-- Issue 17 point 4: covering indexes for the briefing's one graph statement
-- (case::briefing::graaf), so each of its look-ups is answered from index pages:
-- the incidents' short view now also needs the family (gezin_id); the walk from persons
-- to their families needs gezin_id by persoon_id; and from identities to records, the
-- record id by betrokkene. Each replaces the index it extends (same leading columns).
CREATE INDEX incidenten_briefing_idx ON incidenten (id, tijdstip, soort, eigenaar, wederhoor, vertrouwelijkheid, gezin_id);
DROP INDEX incidenten_kort_idx;
CREATE INDEX gezinsleden_persoon_gezin_idx ON gezinsleden (persoon_id, gezin_id);
DROP INDEX gezinsleden_persoon_idx;
CREATE INDEX personen_betrokkene_id_idx ON personen (betrokkene, id);
DROP INDEX personen_betrokkene_idx;
