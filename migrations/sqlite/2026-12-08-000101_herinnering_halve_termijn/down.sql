ALTER TABLE termijnen DROP COLUMN herinneren_vanaf;
