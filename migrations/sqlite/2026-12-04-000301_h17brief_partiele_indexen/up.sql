-- Issue 17 point 4 (h17brief): the search-key hashes and the incidents' family indexed
-- only where present. Most incidents belong to no family and many persons have no
-- address (or no BSN) on record; a full index over such a column counts all those NULLs
-- as one value, and with planner statistics (ANALYZE) SQLite took the index for one
-- that returns every row: the briefing's graph statement (case::briefing::graaf) then
-- scanned every incident, and a search by address every person (28 briefings/s at 100k
-- persons instead of hundreds). A lookup by value (`=`, `IN`) never matches NULL, so the
-- partial index answers every such look-up, and it is smaller.
DROP INDEX incidenten_gezin_idx;
CREATE INDEX incidenten_gezin_idx ON incidenten (gezin_id) WHERE gezin_id IS NOT NULL;
DROP INDEX personen_adres_idx;
CREATE INDEX personen_adres_idx ON personen (adres_hash) WHERE adres_hash IS NOT NULL;
DROP INDEX personen_bsn_idx;
CREATE INDEX personen_bsn_idx ON personen (bsn_hash) WHERE bsn_hash IS NOT NULL;
