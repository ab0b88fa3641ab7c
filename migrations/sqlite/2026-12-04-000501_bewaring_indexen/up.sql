-- Issue 17 point 6 ("removing a month of logs < 1 s"): `ketenregie retention run` found
-- what had outlived its term by a scan of every case table, because no index served the
-- date each retention rule compares (measured at 330,000 persons / 1,000,000 incidents on
-- PostgreSQL: incidents 450-790 ms, persons 230-390 ms, the rest 50-150 ms each, on every
-- run, also when nothing was due). One index per rule's date, so a run reads only what
-- is due (crates/case/src/bewaring).
CREATE INDEX incidenten_tijdstip_idx ON incidenten (tijdstip);
CREATE INDEX personen_gewijzigd_idx ON personen (gewijzigd_op);
CREATE INDEX gezinnen_gewijzigd_idx ON gezinnen (gewijzigd_op);
CREATE INDEX gezag_geverifieerd_idx ON gezag (geverifieerd_op);
CREATE INDEX beschikkingen_datum_idx ON beschikkingen (datum);
CREATE INDEX regelingen_van_idx ON regelingen (van);
-- An involvement is due when it lapsed, ended, or started before the shortest term: three
-- conditions joined by OR, each served by its own index (a bitmap OR on PostgreSQL, a
-- multi-index OR on SQLite).
CREATE INDEX betrokkenheden_vervalt_idx ON betrokkenheden (vervalt_op);
CREATE INDEX betrokkenheden_beeindigd_idx ON betrokkenheden (beeindigd_op);
CREATE INDEX betrokkenheden_sinds_idx ON betrokkenheden (sinds);
