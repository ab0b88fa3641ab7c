DROP INDEX verstrekkingen_eigenaar_idx;
CREATE INDEX verstrekkingen_eigenaar_idx ON verstrekkingen (eigenaar, tijdstip);
DROP INDEX outbox_organisatie_idx;
CREATE INDEX outbox_organisatie_idx ON outbox (organisatie, aangemaakt_op);
