DROP INDEX contactpunten_organisatie_idx;
CREATE INDEX contactpunten_organisatie_idx ON contactpunten (organisatie_id);
DROP INDEX abonnementen_organisatie_idx;
CREATE INDEX abonnementen_organisatie_idx ON abonnementen (organisatie);
DROP INDEX bezorgingen_dood_idx;
DROP INDEX termijnen_afzender_open_idx;
DROP INDEX termijnen_ontvanger_open_idx;
