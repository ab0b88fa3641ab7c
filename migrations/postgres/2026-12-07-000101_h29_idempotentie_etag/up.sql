-- A replayed answer repeats the first answer's headers that matter, its strong `ETag`
-- (the version of the created resource) included; `locatie` already keeps `Location`.
-- Answers without a version (a person) keep NULL.
ALTER TABLE idempotentie ADD COLUMN etag TEXT;
