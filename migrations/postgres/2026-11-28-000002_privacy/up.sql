-- Privacy core: agreements (convenanten) as data, the audit trail and the processing log
-- (both append-only and hash-chained), the chain heads, and eigen verklaringen.
-- Keep this tree and migrations/postgres alike: a test compares them.

CREATE TABLE convenanten (
    id TEXT NOT NULL PRIMARY KEY,
    reeks_id TEXT NOT NULL,
    versie BIGINT NOT NULL,
    titel TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('concept', 'actief', 'ingetrokken')),
    geldig_van TIMESTAMP NOT NULL,
    geldig_tot TIMESTAMP,
    inhoud TEXT NOT NULL,
    eigenaar TEXT NOT NULL,
    aangemaakt_door TEXT NOT NULL,
    aangemaakt_op TIMESTAMP NOT NULL,
    geactiveerd_op TIMESTAMP,
    ingetrokken_op TIMESTAMP,
    intrekkingsreden TEXT
);
CREATE UNIQUE INDEX convenanten_reeks_versie_uk ON convenanten (reeks_id, versie);
CREATE INDEX convenanten_status_idx ON convenanten (status);

CREATE TABLE convenant_partijen (
    convenant_id TEXT NOT NULL REFERENCES convenanten (id) ON DELETE CASCADE,
    organisatie TEXT NOT NULL,
    PRIMARY KEY (convenant_id, organisatie)
);
CREATE INDEX convenant_partijen_organisatie_idx ON convenant_partijen (organisatie);

CREATE TABLE logketens (
    id TEXT NOT NULL PRIMARY KEY,
    volgnummer BIGINT NOT NULL,
    laatste_hash TEXT NOT NULL
);

CREATE TABLE audittrail (
    id TEXT NOT NULL PRIMARY KEY,
    keten TEXT NOT NULL,
    volgnummer BIGINT NOT NULL,
    vorige_hash TEXT NOT NULL,
    hash TEXT NOT NULL,
    tijdstip TIMESTAMP NOT NULL,
    trace_id TEXT NOT NULL,
    gebruiker TEXT NOT NULL,
    gebruiker_naam TEXT NOT NULL,
    organisatie TEXT NOT NULL,
    applicatie TEXT NOT NULL,
    actie TEXT NOT NULL,
    object_type TEXT NOT NULL,
    object_id TEXT NOT NULL,
    eigenaar TEXT NOT NULL,
    resultaat INTEGER NOT NULL,
    toelichting TEXT,
    doorbraak BOOLEAN NOT NULL,
    grondslag TEXT,
    oude_waarde TEXT,
    nieuwe_waarde TEXT
);
CREATE UNIQUE INDEX audittrail_keten_volgnummer_uk ON audittrail (keten, volgnummer);
CREATE INDEX audittrail_object_idx ON audittrail (object_type, object_id);
CREATE INDEX audittrail_doorbraak_idx ON audittrail (doorbraak, tijdstip);

CREATE TABLE verwerkingslog (
    id TEXT NOT NULL PRIMARY KEY,
    keten TEXT NOT NULL,
    volgnummer BIGINT NOT NULL,
    vorige_hash TEXT NOT NULL,
    hash TEXT NOT NULL,
    trace_id TEXT NOT NULL,
    span_id TEXT NOT NULL,
    parent_span_id TEXT,
    organisatie TEXT NOT NULL,
    activiteit TEXT NOT NULL,
    grondslag TEXT NOT NULL,
    convenant_id TEXT,
    convenant_versie BIGINT,
    betrokkene TEXT NOT NULL,
    resultaat TEXT NOT NULL,
    doorbraak BOOLEAN NOT NULL,
    start_op TIMESTAMP NOT NULL,
    eind_op TIMESTAMP NOT NULL
);
CREATE UNIQUE INDEX verwerkingslog_keten_volgnummer_uk ON verwerkingslog (keten, volgnummer);
CREATE INDEX verwerkingslog_betrokkene_idx ON verwerkingslog (betrokkene, start_op);
CREATE INDEX verwerkingslog_organisatie_idx ON verwerkingslog (organisatie, start_op);

CREATE TABLE eigen_verklaringen (
    id TEXT NOT NULL PRIMARY KEY,
    object_type TEXT NOT NULL,
    object_id TEXT NOT NULL,
    eigenaar TEXT NOT NULL,
    betrokkene_id TEXT NOT NULL,
    tekst TEXT NOT NULL,
    vastgelegd_door TEXT NOT NULL,
    vertrouwelijkheid TEXT NOT NULL CHECK (vertrouwelijkheid IN ('openbaar', 'beperkt-openbaar', 'intern', 'zaakvertrouwelijk', 'vertrouwelijk', 'confidentieel', 'geheim', 'zeer-geheim')),
    aangemaakt_op TIMESTAMP NOT NULL
);
CREATE INDEX eigen_verklaringen_object_idx ON eigen_verklaringen (object_type, object_id);
CREATE INDEX eigen_verklaringen_betrokkene_idx ON eigen_verklaringen (betrokkene_id);

CREATE TABLE bewaartermijnen (
    id TEXT NOT NULL PRIMARY KEY,
    organisatie TEXT,
    soort TEXT NOT NULL,
    termijn_dagen BIGINT NOT NULL,
    toelichting TEXT NOT NULL
);
CREATE UNIQUE INDEX bewaartermijnen_organisatie_soort_uk ON bewaartermijnen (organisatie, soort);

-- Append-only: the logs have no update or delete path in the code, and the database
-- refuses one too. Deleting processing-log rows is allowed only to the retention job,
-- which sets ketenregie.bewaring for its own transaction.
CREATE FUNCTION ketenregie_alleen_toevoegen() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'DELETE' AND TG_TABLE_NAME = 'verwerkingslog'
       AND current_setting('ketenregie.bewaring', true) = 'aan' THEN
        RETURN OLD;
    END IF;
    RAISE EXCEPTION '% is append-only', TG_TABLE_NAME;
END
$$ LANGUAGE plpgsql;
CREATE TRIGGER audittrail_alleen_toevoegen BEFORE UPDATE OR DELETE ON audittrail
FOR EACH ROW EXECUTE FUNCTION ketenregie_alleen_toevoegen();
CREATE TRIGGER verwerkingslog_alleen_toevoegen BEFORE UPDATE OR DELETE ON verwerkingslog
FOR EACH ROW EXECUTE FUNCTION ketenregie_alleen_toevoegen();
CREATE TRIGGER eigen_verklaringen_alleen_toevoegen BEFORE UPDATE ON eigen_verklaringen
FOR EACH ROW EXECUTE FUNCTION ketenregie_alleen_toevoegen();
