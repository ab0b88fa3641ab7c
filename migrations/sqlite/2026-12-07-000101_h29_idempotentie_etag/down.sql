ALTER TABLE idempotentie DROP COLUMN etag;
