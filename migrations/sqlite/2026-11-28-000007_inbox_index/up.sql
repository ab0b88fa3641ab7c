-- The inbox count and page read only the index, not the rows with their encrypted content.
CREATE INDEX zorgmeldingen_inbox_idx ON zorgmeldingen (ontvanger, taakstatus, gewijzigd_op);
CREATE INDEX zorgmeldingen_outbox_idx ON zorgmeldingen (afzender, taakstatus, gewijzigd_op);
