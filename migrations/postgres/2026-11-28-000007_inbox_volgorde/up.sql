-- Inbox and outbox pages in (gewijzigd_op, id) order straight from the index, and their
-- counts from the index alone.
DROP INDEX zorgmeldingen_ontvanger_idx;
DROP INDEX zorgmeldingen_afzender_idx;
CREATE INDEX zorgmeldingen_ontvanger_idx ON zorgmeldingen (ontvanger, gewijzigd_op, id);
CREATE INDEX zorgmeldingen_afzender_idx ON zorgmeldingen (afzender, gewijzigd_op, id);
