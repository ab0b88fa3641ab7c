DROP INDEX zorgmeldingen_afzender_idx;
DROP INDEX zorgmeldingen_ontvanger_idx;
CREATE INDEX zorgmeldingen_ontvanger_idx ON zorgmeldingen (ontvanger, gewijzigd_op);
CREATE INDEX zorgmeldingen_afzender_idx ON zorgmeldingen (afzender, gewijzigd_op);
