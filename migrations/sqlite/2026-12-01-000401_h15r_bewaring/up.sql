-- Retention of everything (issue 15 point 3): the organisation's own terms are versioned
-- (a strong ETag and If-Match, RFC 9110), and the retention run finds meldingen by their
-- last change and notifications by the record they are about.
ALTER TABLE bewaartermijnen ADD COLUMN versie BIGINT NOT NULL DEFAULT 1;
CREATE INDEX zorgmeldingen_gewijzigd_idx ON zorgmeldingen (gewijzigd_op);
CREATE INDEX outbox_onderwerp_idx ON outbox (onderwerp);
