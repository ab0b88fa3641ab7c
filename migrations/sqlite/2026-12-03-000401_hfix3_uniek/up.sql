-- NAAM_UNIEK (task hfix3 point 1): the normalised name key (Unicode NFC, lower case,
-- without whitespace and invisible format characters: `common::organisatie::naamsleutel`)
-- in a column with a UNIQUE index, so two simultaneous registrations or renames to one
-- name cannot both commit. The key is computed in Rust: existing rows are filled at start
-- after the migrations (`store::directory::vul_naamsleutels`, under the start-up lock);
-- until then the column is NULL, which the index allows any number of times.
ALTER TABLE organisaties ADD COLUMN naam_sleutel TEXT;
CREATE UNIQUE INDEX organisaties_naam_sleutel_uk ON organisaties (naam_sleutel);

-- EEN_EINDRESULTAAT: at most one final outcome per melding (checked before the insert;
-- two receivers' clerks at once could both pass the check).
CREATE UNIQUE INDEX terugkoppelingen_eindresultaat_uk ON terugkoppelingen (zorgmelding_id)
    WHERE moment = 'eindresultaat';
