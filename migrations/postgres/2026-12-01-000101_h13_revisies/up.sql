-- RFC 9110 preconditions on every mutable resource (issue 13): an agreement version, a
-- closed day and an incident carry a revision, their strong ETag; a write with If-Match
-- applies only to the revision it names.
ALTER TABLE convenanten ADD COLUMN revisie BIGINT NOT NULL DEFAULT 1;
ALTER TABLE sluitingsdagen ADD COLUMN versie BIGINT NOT NULL DEFAULT 1;
ALTER TABLE incidenten ADD COLUMN versie BIGINT NOT NULL DEFAULT 1;
