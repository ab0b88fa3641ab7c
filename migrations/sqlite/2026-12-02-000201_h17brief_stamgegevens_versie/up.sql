-- Issue 17 point 3: the version stamp of the decision's inputs and the partner register.
-- Each instance caches the agreements, the organisation kinds and the 24/7 contact points
-- (privacy::stamgegevens) and reads this one row at the start of a request: any change to
-- the tables below bumps it in the writing transaction (triggers), so a withdrawal or an
-- uittreding takes effect on every instance's very next request.
CREATE TABLE stamgegevens_versie (
    id INTEGER NOT NULL PRIMARY KEY CHECK (id = 1),
    versie BIGINT NOT NULL
);
INSERT INTO stamgegevens_versie (id, versie) VALUES (1, 1);
CREATE TRIGGER stamgegevens_convenanten_i AFTER INSERT ON convenanten
BEGIN UPDATE stamgegevens_versie SET versie = versie + 1 WHERE id = 1; END;
CREATE TRIGGER stamgegevens_convenanten_u AFTER UPDATE ON convenanten
BEGIN UPDATE stamgegevens_versie SET versie = versie + 1 WHERE id = 1; END;
CREATE TRIGGER stamgegevens_convenanten_d AFTER DELETE ON convenanten
BEGIN UPDATE stamgegevens_versie SET versie = versie + 1 WHERE id = 1; END;
CREATE TRIGGER stamgegevens_convenant_partijen_i AFTER INSERT ON convenant_partijen
BEGIN UPDATE stamgegevens_versie SET versie = versie + 1 WHERE id = 1; END;
CREATE TRIGGER stamgegevens_convenant_partijen_u AFTER UPDATE ON convenant_partijen
BEGIN UPDATE stamgegevens_versie SET versie = versie + 1 WHERE id = 1; END;
CREATE TRIGGER stamgegevens_convenant_partijen_d AFTER DELETE ON convenant_partijen
BEGIN UPDATE stamgegevens_versie SET versie = versie + 1 WHERE id = 1; END;
CREATE TRIGGER stamgegevens_convenant_uittredingen_i AFTER INSERT ON convenant_uittredingen
BEGIN UPDATE stamgegevens_versie SET versie = versie + 1 WHERE id = 1; END;
CREATE TRIGGER stamgegevens_convenant_uittredingen_u AFTER UPDATE ON convenant_uittredingen
BEGIN UPDATE stamgegevens_versie SET versie = versie + 1 WHERE id = 1; END;
CREATE TRIGGER stamgegevens_convenant_uittredingen_d AFTER DELETE ON convenant_uittredingen
BEGIN UPDATE stamgegevens_versie SET versie = versie + 1 WHERE id = 1; END;
CREATE TRIGGER stamgegevens_organisaties_i AFTER INSERT ON organisaties
BEGIN UPDATE stamgegevens_versie SET versie = versie + 1 WHERE id = 1; END;
CREATE TRIGGER stamgegevens_organisaties_u AFTER UPDATE ON organisaties
BEGIN UPDATE stamgegevens_versie SET versie = versie + 1 WHERE id = 1; END;
CREATE TRIGGER stamgegevens_organisaties_d AFTER DELETE ON organisaties
BEGIN UPDATE stamgegevens_versie SET versie = versie + 1 WHERE id = 1; END;
CREATE TRIGGER stamgegevens_contactpunten_i AFTER INSERT ON contactpunten
BEGIN UPDATE stamgegevens_versie SET versie = versie + 1 WHERE id = 1; END;
CREATE TRIGGER stamgegevens_contactpunten_u AFTER UPDATE ON contactpunten
BEGIN UPDATE stamgegevens_versie SET versie = versie + 1 WHERE id = 1; END;
CREATE TRIGGER stamgegevens_contactpunten_d AFTER DELETE ON contactpunten
BEGIN UPDATE stamgegevens_versie SET versie = versie + 1 WHERE id = 1; END;
