-- The same index as on PostgreSQL (the schemas stay alike, tests/it/database.rs): the
-- processing log's rows that ran longer than an hour, by organisation and end. PostgreSQL
-- uses it to check that a whole monthly partition is past its term without reading the
-- month (crates/privacy/src/logboek/bewaring.rs); SQLite has no partitions and removes
-- row by row, so here it only holds those few rows.
CREATE INDEX verwerkingslog_lang_idx ON verwerkingslog (organisatie, eind_op)
    WHERE julianday(eind_op) > julianday(start_op) + 1.0 / 24;
