DROP INDEX bezorgingen_dood_idx;
DROP INDEX termijnen_afzender_open_idx;
DROP INDEX termijnen_ontvanger_open_idx;
