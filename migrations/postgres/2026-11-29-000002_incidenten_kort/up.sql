-- The briefing's short view of a family's incidents (time, kind, owner, hearing status,
-- confidentiality) read from index pages only: the ~30 incidents of one family lie on as
-- many heap pages, which dominated the briefing at 3,000,000 incidents
-- (benches/load/BRIEFING.md).
CREATE INDEX incidenten_kort_idx ON incidenten (id, tijdstip, soort, eigenaar, wederhoor, vertrouwelijkheid);
