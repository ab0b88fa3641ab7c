-- Issue 17 point 6: monthly partitions of the logs are PostgreSQL's (declarative
-- partitioning); SQLite keeps one table each, and retention removes row by row. This
-- migration exists so both trees carry the same names.
SELECT 1;
