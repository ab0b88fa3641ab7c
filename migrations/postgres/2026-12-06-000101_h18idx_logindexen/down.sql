CREATE INDEX verstrekkingen_object_idx ON verstrekkingen (object_id);
CREATE INDEX verwerkingslog_betrokkene_idx ON verwerkingslog (betrokkene, start_op);
CREATE INDEX audittrail_doorbraak_idx ON audittrail (doorbraak, tijdstip);
CREATE INDEX audittrail_weigering_idx ON audittrail (resultaat, tijdstip);
