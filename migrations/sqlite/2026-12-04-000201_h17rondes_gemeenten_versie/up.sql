-- Issue 17 (h17rondes): the municipalities join the cached reference data of
-- privacy::stamgegevens. A filing checks its children's municipality codes against the
-- instance's cached set instead of reading `gemeenten` every time; any change of the
-- table (a reference-data load, an administrator's edit) bumps the version stamp in the
-- writing transaction, so the next request on every instance sees it.
CREATE TRIGGER stamgegevens_gemeenten_i AFTER INSERT ON gemeenten
BEGIN UPDATE stamgegevens_versie SET versie = versie + 1 WHERE id = 1; END;
CREATE TRIGGER stamgegevens_gemeenten_u AFTER UPDATE ON gemeenten
BEGIN UPDATE stamgegevens_versie SET versie = versie + 1 WHERE id = 1; END;
CREATE TRIGGER stamgegevens_gemeenten_d AFTER DELETE ON gemeenten
BEGIN UPDATE stamgegevens_versie SET versie = versie + 1 WHERE id = 1; END;
UPDATE stamgegevens_versie SET versie = versie + 1 WHERE id = 1;
