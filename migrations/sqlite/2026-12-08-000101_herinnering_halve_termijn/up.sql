-- HERINNERING_NA_HALVE_TERMIJN: a reminder goes out no earlier than halfway through the
-- term (a one-working-day receipt duty is otherwise reminded the moment it is created,
-- as its 24-hour lead already covers the whole term). Computed when the duty is made;
-- duties made before this migration keep their old behaviour (no floor). SQLite adds a
-- NOT NULL column only with a default, overwritten at once.
ALTER TABLE termijnen ADD COLUMN herinneren_vanaf TIMESTAMP NOT NULL DEFAULT '1970-01-01 00:00:00';
UPDATE termijnen SET herinneren_vanaf = aangemaakt_op;
