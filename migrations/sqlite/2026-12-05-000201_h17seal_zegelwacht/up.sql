-- h17seal: PostgreSQL's update guard of the logs made cheaper (same rule). SQLite's guards
-- compare the columns one by one in the trigger's WHEN already (2026-12-02-000101); this
-- migration exists so both trees carry the same names.
SELECT 1;
