ALTER TABLE sluitingsdagen DROP COLUMN ingetrokken_op;
