DROP INDEX termijnen_open_idx;
ALTER TABLE termijnen DROP COLUMN laat_gemeld_op;
ALTER TABLE termijnen DROP COLUMN geescaleerd_op;
ALTER TABLE termijnen DROP COLUMN herinnerd_op;
DROP TABLE terugkoppelingen;
