DROP INDEX zorgmeldingen_outbox_idx;
DROP INDEX zorgmeldingen_inbox_idx;
